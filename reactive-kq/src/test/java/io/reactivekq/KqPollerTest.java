package io.reactivekq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.linux.TestFds;
import io.reactivekq.poller.CountingKQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** DESIGN.md section 4, row by row, with StepVerifier on the Linux backend. */
class KqPollerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long "nothing more arrives" is watched for; only a failure shortens the test. */
    private static final Duration QUIET = Duration.ofMillis(150);

    private final CountingKQueue kq = CountingKQueue.open();
    private final KqPoller poller = new KqPoller("kq-reactive-test", kq);

    @AfterEach
    void close() {
        poller.close();
    }

    private void flush() {
        poller.loop().afterFlush(() -> null).orTimeout(20, TimeUnit.SECONDS).join();
    }

    private int knotes() {
        return poller.loop().knoteCount().orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static Predicate<Throwable> kqError(String errno, long ident) {
        return t -> t instanceof KqException e && e.errnoName().equals(errno) && e.ident() == ident
            && e.getMessage().contains(errno);
    }

    // ---- subscribe / request ----------------------------------------------------------------

    @Test
    void requestOneYieldsExactlyOneEventAndNoneUntilTheNextRequest() {
        StepVerifier.create(poller.timer(Duration.ofMillis(2)), 1)
            .assertNext(ev -> assertEquals(EvFilt.TIMER, ev.filter()))
            .expectNoEvent(QUIET)
            .thenRequest(1)
            .assertNext(ev -> assertTrue(ev.data() > 1, "expirations coalesced in the knote meanwhile: " + ev))
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void tenThousandTriggersWithoutDemandYieldOneEventCarryingTheTotal() {
        UserEvent u = poller.userEvent();
        StepVerifier.create(u.flux(), 0)
            .then(() -> {
                for (int i = 0; i < 10_000; i++) u.trigger();
                flush();
            })
            .expectNoEvent(QUIET)
            .thenRequest(1)
            .assertNext(ev -> assertEquals(10_000, ev.data()))
            .then(this::flush)
            .expectNoEvent(QUIET)
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void userFflagsFollowTheHandleOperations() {
        UserEvent u = poller.userEvent();
        StepVerifier.create(u.flux(), 0)
            .then(() -> {
                u.or(0x3);
                u.and(0x1);
                u.trigger();
            })
            .thenRequest(1)
            .assertNext(ev -> assertEquals(0x1, ev.fflags() & Note.FFLAGSMASK))
            .then(() -> {
                u.copy(0x10);
                u.trigger();
            })
            .thenRequest(1)
            .assertNext(ev -> assertEquals(0x10, ev.fflags() & Note.FFLAGSMASK))
            .thenCancel()
            .verify(WAIT);
        assertEquals(0x10, u.fflags());
    }

    // ---- cancel ---------------------------------------------------------------------------

    @Test
    void afterCancelTheKnoteIsGoneAndNoOnNextFollows() {
        UserEvent u = poller.userEvent();
        List<KEvent> seen = new CopyOnWriteArrayList<>();
        Disposable d = u.flux().subscribe(seen::add);
        u.trigger();
        flush();
        d.dispose();
        flush();
        assertEquals(0, knotes());
        KEvent[] out = new KEvent[1];
        int n = kq.delegate().kevent(new KEvent[] {KEvent.of(u.ident(), EvFilt.USER, Ev.DELETE | Ev.RECEIPT)}, 1, out, 1, 0);
        assertEquals(1, n);
        assertEquals("ENOENT", io.reactivekq.kqueue.Errno.nameOf((int) out[0].data()), "the knote was deleted: " + out[0]);
        int before = seen.size();
        u.trigger();
        flush();
        flush();
        assertEquals(before, seen.size(), "no onNext after cancel");
    }

    @Test
    void cancelOnThePollerThreadStopsDeliveryAtOnce() {
        // Two subscribers of one knote cancel each other from onNext: whoever receives the
        // event first cancels the other before it is handed the same event.
        UserEvent u = poller.userEvent();
        AtomicInteger delivered = new AtomicInteger();
        @SuppressWarnings("unchecked")
        BaseSubscriber<KEvent>[] subs = new BaseSubscriber[2];
        for (int i = 0; i < 2; i++) {
            int other = 1 - i;
            subs[i] = new BaseSubscriber<>() {
                @Override
                protected void hookOnNext(KEvent value) {
                    delivered.incrementAndGet();
                    subs[other].cancel();
                }
            };
        }
        u.flux().subscribe(subs[0]);
        u.flux().subscribe(subs[1]);
        flush();
        u.trigger();
        flush();
        flush();
        assertEquals(1, delivered.get());
        subs[0].cancel();
        subs[1].cancel();
        flush();
        assertEquals(0, knotes());
    }

    // ---- shared knotes ----------------------------------------------------------------------

    @Test
    void twoSubscribersOnOneFdHaveIndependentDemand() throws Exception {
        try (TestPipe p = new TestPipe()) {
            Flux<KEvent> reads = poller.read(p.readFd);
            BaseSubscriber<KEvent> eager = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                    request(1);
                }
            };
            List<KEvent> eagerSeen = new CopyOnWriteArrayList<>();
            reads.doOnNext(eagerSeen::add).subscribe(eager);
            StepVerifier.create(reads, 0)
                .then(() -> {
                    flush();
                    assertEquals(1, knotes(), "one knote for both subscribers");
                    p.write(3);
                })
                .expectNoEvent(QUIET)
                .then(() -> assertEquals(1, eagerSeen.size(), "the subscriber with demand got it"))
                .thenRequest(1)
                .assertNext(ev -> assertEquals(3, ev.data()))
                .thenCancel()
                .verify(WAIT);
            assertEquals(3, eagerSeen.getFirst().data());
            eager.cancel();
            flush();
            assertEquals(0, knotes());
        }
    }

    @Test
    void userHandleSubscribersCoalesceIndependently() {
        UserEvent u = poller.userEvent();
        AtomicInteger eagerTotal = new AtomicInteger();
        Disposable eager = u.flux().subscribe(ev -> eagerTotal.addAndGet((int) ev.data()));
        StepVerifier.create(u.flux(), 0)
            .then(() -> {
                flush();
                for (int i = 0; i < 5; i++) {
                    u.trigger();
                    flush();
                }
            })
            .expectNoEvent(QUIET)
            .then(() -> assertEquals(5, eagerTotal.get()))
            .thenRequest(1)
            .assertNext(ev -> assertEquals(5, ev.data(), "the idle subscriber's slot summed the counts"))
            .thenCancel()
            .verify(WAIT);
        eager.dispose();
    }

    // ---- final events -----------------------------------------------------------------------

    @Test
    void eofWithNoDataLeftIsOnNextThenOnComplete() throws Exception {
        try (TestPipe p = new TestPipe()) {
            p.write(2);
            p.closeSink();
            StepVerifier.create(poller.read(p.readFd), 1)
                .assertNext(ev -> {
                    assertEquals(2, ev.data());
                    assertTrue(ev.has(Ev.EOF), "EOF with data left is not final: " + ev);
                })
                .then(() -> assertEquals(2, p.drain()))
                .thenRequest(1)
                .assertNext(ev -> assertTrue(ev.has(Ev.EOF) && ev.data() == 0, ev.toString()))
                .expectComplete()
                .verify(WAIT);
            flush();
            assertEquals(0, knotes());
        }
    }

    @Test
    void writeCountsTheFreeSpaceAndCompletesOnceTheReaderIsGone() throws Exception {
        try (TestPipe p = new TestPipe()) {
            long[] capacity = new long[1];
            StepVerifier.create(poller.write(p.writeFd), 1)
                .assertNext(ev -> {
                    assertEquals(EvFilt.WRITE, ev.filter());
                    assertTrue(ev.data() >= 4096, "the free space of an empty pipe, not readiness: " + ev);
                    capacity[0] = ev.data();
                })
                .then(p::fill)
                .thenRequest(1)
                .expectNoEvent(QUIET) // a full pipe has no space to report
                .then(p::drain)
                // The space as the knote saw it: the loop may wake while the drain is under way.
                .assertNext(ev -> assertTrue(ev.data() > 0 && ev.data() <= capacity[0], "free space after the drain: " + ev))
                .then(p::closeSource)
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(ev -> !ev.has(Ev.EOF))
                .assertNext(ev -> assertTrue(ev.has(Ev.EOF), "the reader's close ends the flux: " + ev))
                .expectComplete()
                .verify(WAIT);
            flush();
            assertEquals(0, knotes());
        }
    }

    @Test
    void oneShotTimerIsOneEventThenComplete() {
        StepVerifier.create(poller.oneShotTimer(Duration.ofMillis(5)))
            .assertNext(ev -> assertEquals(1, ev.data()))
            .expectComplete()
            .verify(WAIT);
        assertEquals(0, knotes());
    }

    @Test
    void timerWithLeewayStillTicks() {
        StepVerifier.create(poller.timer(Duration.ofMillis(3), Duration.ofMillis(2)).take(3))
            .expectNextCount(3)
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aTimerDueAtEveryTurnLeavesRoomForFdEvents() throws Exception {
        // A 1 ns period has expired again by every loop turn: fd events must still get through.
        Disposable busy = poller.timer(Duration.ofNanos(1)).subscribe();
        try (TestPipe p = new TestPipe()) {
            StepVerifier.create(poller.read(p.readFd), 1)
                .then(() -> {
                    flush();
                    p.write(2);
                })
                .assertNext(ev -> assertEquals(2, ev.data()))
                .thenCancel()
                .verify(WAIT);
        } finally {
            busy.dispose();
        }
    }

    // ---- bad input --------------------------------------------------------------------------

    @Test
    void badInputIsAnOnErrorNamingErrnoAndIdentAndLeavesOthersAlone() throws Exception {
        UserEvent u = poller.userEvent();
        List<KEvent> seen = new CopyOnWriteArrayList<>();
        Disposable bystander = u.flux().subscribe(seen::add);
        int closedFd;
        try (TestPipe p = new TestPipe()) {
            closedFd = p.readFd;
        }
        StepVerifier.create(poller.read(closedFd)).expectErrorMatches(kqError("EBADF", closedFd)).verify(WAIT);
        StepVerifier.create(poller.timer(Duration.ofMillis(-5)))
            .expectErrorMatches(t -> t instanceof KqException e && e.errnoName().equals("EINVAL")
                && e.call().contains("EVFILT_TIMER"))
            .verify(WAIT);
        StepVerifier.create(poller.signal("NOSUCHSIGNAL"))
            .expectErrorMatches(t -> t instanceof KqException e && e.errnoName().equals("EINVAL"))
            .verify(WAIT);
        StepVerifier.create(poller.signal(0)).expectErrorMatches(kqError("EINVAL", 0)).verify(WAIT);
        long deadPid = deadPid();
        StepVerifier.create(poller.process(deadPid))
            .expectErrorMatches(t -> t instanceof KqException e && e.ident() == deadPid
                && (e.errnoName().equals("ESRCH") || e.errnoName().equals("EINVAL")))
            .verify(WAIT);
        StepVerifier.create(poller.events(EventSpec.of(EvFilt.READ, 0).withFlags(Ev.DELETE)))
            .expectErrorMatches(kqError("EINVAL", 0)).verify(WAIT);
        u.trigger();
        flush();
        flush();
        assertEquals(1, seen.size(), "the other subscription still works");
        bystander.dispose();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void theSharedPollerIsOneAndCannotBeClosed() {
        KqPoller shared = KqPoller.shared();
        assertTrue(shared == KqPoller.shared());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, shared::close);
        StepVerifier.create(shared.oneShotTimer(Duration.ofMillis(1))).expectNextCount(1).expectComplete().verify(WAIT);
    }

    @Test
    void subscribingToAClosedPollerIsAnError() {
        KqPoller p = KqPoller.create("kq-closed-test");
        p.close();
        assertTrue(p.isClosed());
        StepVerifier.create(p.timer(Duration.ofMillis(1)))
            .expectErrorMatches(t -> t instanceof KqException e && e.errnoName().equals("EBADF")
                && e.call().contains("EVFILT_TIMER"))
            .verify(WAIT);
    }

    @Test
    void aSubscriberThatThrowsLosesOnlyItsOwnRegistration() {
        UserEvent u = poller.userEvent();
        List<KEvent> good = new CopyOnWriteArrayList<>();
        Disposable goodSub = u.flux().subscribe(good::add);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        // A CoreSubscriber, so that Reactor hands it to the flux unwrapped.
        u.flux().subscribe(new reactor.core.CoreSubscriber<>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(KEvent kEvent) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }

            @Override
            public void onComplete() {}
        });
        flush();
        u.trigger();
        flush();
        flush();
        assertEquals(1, errors.size());
        assertEquals("boom", errors.getFirst().getMessage());
        assertEquals(1, knotes(), "the good subscriber keeps the knote");
        u.trigger();
        flush();
        flush();
        assertEquals(2, good.size());
        goodSub.dispose();
    }

    // ---- close ----------------------------------------------------------------------------

    @Test
    void closeTerminatesEverySubscriptionAndReleasesEveryFd() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kq-close");
        new TestPipe().close(); // the JDK opens one socket of its own at the first NIO channel
        int before = TestFds.openFdCount();
        String beforeList = fdList();
        KqPoller p = KqPoller.create("kq-close-test");
        try (TestPipe pipe = new TestPipe()) {
            List<StepVerifier> verifiers = List.of(
                StepVerifier.create(p.timer(Duration.ofMillis(1)), 0).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.userEvent().flux()).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.read(pipe.readFd)).expectSubscription().expectComplete().verifyLater(),
                StepVerifier.create(p.oneShotTimer(Duration.ofHours(1))).expectSubscription().expectComplete().verifyLater());
            // A path watch opens an fd of its own (whether or not this backend has VNODE yet).
            java.util.concurrent.CountDownLatch watchEnded = new java.util.concurrent.CountDownLatch(1);
            p.vnode(dir).subscribe(ev -> { }, err -> watchEnded.countDown(), watchEnded::countDown);
            p.loop().afterFlush(() -> null).get(20, TimeUnit.SECONDS);
            Thread loop = pollerThread("kq-close-test");
            p.close();
            for (StepVerifier v : verifiers) v.verify(WAIT);
            assertTrue(watchEnded.await(20, TimeUnit.SECONDS), "the path watch got a terminal signal");
            loop.join(WAIT.toMillis());
            assertTrue(!loop.isAlive(), "the poller's thread ended");
        } finally {
            java.nio.file.Files.deleteIfExists(dir);
        }
        assertEquals(before, TestFds.openFdCount(), "the poller's kqueue and the watch's fd are closed: "
            + fdList() + " before: " + beforeList);
    }

    private static Thread pollerThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    private static String fdList() {
        StringBuilder sb = new StringBuilder();
        for (String f : new java.io.File("/proc/self/fd").list()) {
            try {
                sb.append(f).append("->").append(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", f))).append(' ');
            } catch (java.io.IOException e) {
                sb.append(f).append(' ');
            }
        }
        return sb.toString();
    }

    // ---- Reactor integration -------------------------------------------------------------

    @Test
    void contextCheckpointNameAndTagWorkThroughTheFlux() {
        Flux<KEvent> named = poller.timer(Duration.ofMillis(1)).name("ticks").tag("source", "kq");
        reactor.core.Scannable sc = reactor.core.Scannable.from(named);
        assertEquals("ticks", sc.name());
        assertTrue(sc.tags().anyMatch(t -> t.getT1().equals("source") && t.getT2().equals("kq")));

        StepVerifier.create(poller.timer(Duration.ofMillis(1)).take(1)
                .flatMap(ev -> reactor.core.publisher.Mono.deferContextual(ctx -> reactor.core.publisher.Mono.just(ctx.<String>get("who"))))
                .contextWrite(ctx -> ctx.put("who", "me")))
            .expectNext("me")
            .expectComplete()
            .verify(WAIT);

        StepVerifier.create(poller.read(-1).checkpoint("reading fd -1"))
            .expectErrorSatisfies(t -> {
                assertInstanceOf(KqException.class, t);
                assertTrue(java.util.Arrays.stream(t.getSuppressed()).anyMatch(s -> s.toString().contains("reading fd -1")),
                    "checkpoint traceback attached");
            })
            .verify(WAIT);
    }
}
