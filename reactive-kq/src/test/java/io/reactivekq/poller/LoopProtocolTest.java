package io.reactivekq.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * The loop's system-call protocol, seen through a counting decorator of the SPI: one kevent
 * call per turn, re-arms in the next call's changelist, wakeups only from other threads.
 */
class LoopProtocolTest {
    private final CountingKQueue kq = CountingKQueue.open();
    private final Poller poller = Poller.start("kq-protocol-test", kq, 64);

    @AfterEach
    void close() {
        poller.close();
    }

    private void flush() throws Exception {
        poller.afterFlush(() -> null).get(20, TimeUnit.SECONDS);
    }

    /** A subscriber without demand on {@code user}, triggered once, after the loop applied both. */
    private Subs subscribeTriggered(UserSource user) throws Exception {
        Subs s = new Subs(0);
        poller.subscribe(user, s);
        user.trigger();
        flush();
        return s;
    }

    private static boolean isEventOf(KEvent e, long ident, short filter) {
        return e.ident() == ident && e.filter() == filter && !e.has(Ev.ERROR);
    }

    @Test
    void atMostOneKeventCallPerLoopTurn() throws Exception {
        Subs timer = new Subs(Long.MAX_VALUE);
        poller.subscribe(Interest.of(EvFilt.TIMER, poller.nextIdent(), 0, Note.MSECONDS, 1, 0), timer);
        UserSource user = poller.newUserSource();
        Subs users = new Subs(Long.MAX_VALUE);
        poller.subscribe(user, users);
        for (int i = 0; i < 200; i++) user.trigger();
        timer.awaitEvents(20);
        flush();
        long turns = poller.turns();
        int calls = kq.calls().size();
        // The call of the turn in progress may already be recorded while its count is not.
        assertTrue(calls == turns || calls == turns + 1, "calls " + calls + " turns " + turns);
    }

    @Test
    void aKnoteChangedManyTimesBeforeACallHasOneEntryInItsChangelist() throws Exception {
        // Eight subscribers share one knote; four threads request, trigger, cancel and
        // subscribe anew on it as fast as they can, so many changes land between two calls.
        // Two things keep it to one entry (the knote's dirty mark, and a change computed from
        // its state rather than from each op); this checks the outcome, whichever does it.
        UserSource user = poller.newUserSource();
        java.util.concurrent.CopyOnWriteArrayList<Subs> subs = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            Subs s = new Subs(0);
            subs.add(s);
            poller.subscribe(user, s);
        }
        flush();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
                    for (int i = 0; i < 2_000; i++) {
                        Subs s = subs.get(r.nextInt(subs.size()));
                        switch (r.nextInt(4)) {
                            case 0 -> user.trigger();
                            case 1 -> {
                                s.subscription.cancel();
                                Subs fresh = new Subs(1);
                                poller.subscribe(user, fresh);
                                subs.add(fresh);
                            }
                            default -> s.subscription.request(1);
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        flush();
        int callsWithIt = 0;
        for (CountingKQueue.Call c : kq.calls()) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            boolean withIt = false;
            for (KEvent ch : c.changes()) {
                assertTrue(seen.add(ch.filter() + "/" + ch.ident()), "two entries for one knote in call " + c.index()
                    + ": " + c.changes());
                withIt |= ch.ident() == user.ident();
            }
            if (withIt) callsWithIt++;
        }
        assertTrue(callsWithIt > 0, "the shared knote was changed at all");
    }

    @Test
    void repeatedBadRequestsAreOneOpAndOneError() throws Exception {
        Subs s = new Subs(0);
        poller.subscribe(Interest.of(EvFilt.TIMER, poller.nextIdent(), 0, Note.SECONDS, 3600, 0), s);
        flush();
        long before = poller.opsHandled().get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 10_000; i++) s.subscription.request(i % 2 == 0 ? 0 : -1);
        assertTrue(s.terminated.await(20, TimeUnit.SECONDS), "a bad request ends the subscription");
        assertTrue(s.error instanceof IllegalArgumentException && s.error.getMessage().contains("3.9"), String.valueOf(s.error));
        long handled = poller.opsHandled().get(20, TimeUnit.SECONDS) - before;
        // The first bad request's op and the second query's own barrier; not one per call.
        assertTrue(handled <= 2, handled + " ops for 10,000 bad requests");
    }

    @Test
    void reArmRidesOnTheNextCallsChangelistWithTheRegisteredFflags() throws Exception {
        long ident = poller.nextIdent();
        Subs timer = new Subs(5);
        poller.subscribe(Interest.of(EvFilt.TIMER, ident, 0, Note.MSECONDS, 2, 0), timer);
        timer.awaitEvents(5);
        flush();
        List<CountingKQueue.Call> calls = kq.calls();
        int delivered = 0;
        for (int i = 0; i < calls.size() - 1 && delivered < 4; i++) {
            if (calls.get(i).events().stream().noneMatch(e -> isEventOf(e, ident, EvFilt.TIMER))) continue;
            delivered++;
            List<KEvent> next = calls.get(i + 1).changes();
            assertTrue(next.stream().anyMatch(c -> c.ident() == ident && c.has(Ev.ENABLE)
                    && c.fflags() == Note.MSECONDS && c.data() == 2),
                "call " + (i + 1) + " re-arms with the registration's fflags and data: " + next);
        }
        assertEquals(4, delivered);
        // Demand is spent: no call after the fifth delivery re-arms the timer.
        int fifth = -1;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).events().stream().anyMatch(e -> isEventOf(e, ident, EvFilt.TIMER))) fifth = i;
        }
        for (int i = fifth + 1; i < calls.size(); i++) {
            assertTrue(calls.get(i).changes().stream().noneMatch(c -> c.ident() == ident && c.has(Ev.ENABLE)));
        }
        KEvent add = calls.stream().flatMap(c -> c.changes().stream()).filter(c -> c.ident() == ident).findFirst().orElseThrow();
        assertTrue(add.has(Ev.ADD) && add.has(Ev.DISPATCH) && add.has(Ev.RECEIPT), "registration: " + add);
    }

    @Test
    void unboundedDemandFromTheStartStaysArmedWithoutReArms() throws Exception {
        long ident = poller.nextIdent();
        Subs timer = new Subs(Long.MAX_VALUE); // what subscribe(consumer) does in onSubscribe
        poller.subscribe(Interest.of(EvFilt.TIMER, ident, 0, Note.MSECONDS, 1, 0), timer);
        timer.awaitEvents(5);
        flush();
        List<KEvent> ch = kq.calls().stream().flatMap(c -> c.changes().stream()).filter(c -> c.ident() == ident).toList();
        assertEquals(1, ch.size(), "the EV_ADD and nothing after it, over five deliveries: " + ch);
        KEvent add = ch.getFirst();
        assertTrue(add.has(Ev.ADD) && !add.has(Ev.DISPATCH) && !add.has(Ev.DISABLE) && add.has(Ev.CLEAR),
            "added enabled, without EV_DISPATCH: " + add);
        long total = timer.events.stream().mapToLong(KEvent::data).sum();
        assertTrue(total >= 5, "expirations counted: " + total);
    }

    @Test
    void unboundedUserEventDeliversEveryTriggerWithoutReArming() throws Exception {
        UserSource user = poller.newUserSource();
        Subs s = new Subs(Long.MAX_VALUE);
        poller.subscribe(user, s);
        flush();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 10_000; i++) user.trigger();
        });
        producer.start();
        producer.join(20_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.events.stream().mapToLong(KEvent::data).sum() < 10_000 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(10_000, s.events.stream().mapToLong(KEvent::data).sum(), "every trigger, once");
        flush();
        List<KEvent> ch = kq.calls().stream().flatMap(c -> c.changes().stream()).filter(c -> c.ident() == user.ident()).toList();
        assertTrue(ch.getFirst().has(Ev.ADD) && !ch.getFirst().has(Ev.DISPATCH), "added without EV_DISPATCH: " + ch.getFirst());
        assertTrue(ch.stream().noneMatch(c -> c.has(Ev.DISABLE)), "never disabled: " + ch);
        assertTrue(ch.stream().skip(1).allMatch(c -> (c.fflags() & Note.TRIGGER) != 0),
            "after the EV_ADD only the handle's triggers, no re-arms: " + ch);
    }

    @Test
    void anAnswerWithinTheSpinNeedsNoWakeup() throws Exception {
        // A spin far longer than any answer can take on a loaded machine: every answer lands in it.
        try (Poller spinning = Poller.start("kq-spin-test", CountingKQueue.open(), 64, TimeUnit.SECONDS.toNanos(10))) {
            UserSource user = spinning.newUserSource();
            java.util.concurrent.BlockingQueue<KEvent> handed = new java.util.concurrent.LinkedBlockingQueue<>();
            spinning.subscribe(user, new CoreSubscriber<KEvent>() {
                @Override
                public void onSubscribe(Subscription sub) {
                    sub.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(KEvent ev) {
                    handed.add(ev);
                }

                @Override
                public void onError(Throwable t) {
                    handed.add(KEvent.of(-1, EvFilt.USER, 0));
                }

                @Override
                public void onComplete() {
                }
            });
            spinning.afterFlush(() -> null).get(20, TimeUnit.SECONDS);
            user.trigger(); // the loop sleeps: this one wakes it
            assertEquals(1, handed.poll(20, TimeUnit.SECONDS).data());
            long wakeups = spinning.wakeups();
            for (int i = 0; i < 100; i++) {
                // Late enough that a loop without the spin would be asleep by now.
                Thread.sleep(1);
                user.trigger(); // answered while the loop spins after its delivery
                KEvent ev = handed.poll(20, TimeUnit.SECONDS);
                assertEquals(1, ev == null ? -1 : ev.data(), "round trip " + i);
            }
            assertEquals(wakeups, spinning.wakeups(), "no answer needed a wakeup");
            // An answer that came before the loop began to spin needs no spin either; every spin
            // that ran must have ended with an answer (a miss would have taken 10 s).
            assertTrue(spinning.spinHits() >= 1, "answers caught by a spin: " + spinning.spinHits());
            assertEquals(spinning.spins(), spinning.spinHits(), "no spin ran out");
        }
    }

    @Test
    void aSpinThatSeesNothingEndsInSleepAndZeroTurnsSpinningOff() throws Exception {
        try (Poller spinning = Poller.start("kq-spin-test", CountingKQueue.open(), 64, TimeUnit.MILLISECONDS.toNanos(1));
             Poller still = Poller.start("kq-nospin-test", CountingKQueue.open(), 64, 0)) {
            for (Poller p : List.of(spinning, still)) {
                UserSource user = p.newUserSource();
                Subs s = new Subs(Long.MAX_VALUE);
                p.subscribe(user, s);
                user.trigger();
                s.awaitEvents(1);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!p.isSleeping() && System.nanoTime() < deadline) Thread.sleep(1);
                assertTrue(p.isSleeping(), p.name() + " sleeps once nothing comes");
            }
            assertEquals(1, spinning.spins(), "one spin after the one delivery");
            assertEquals(0, spinning.spinHits());
            assertEquals(0, still.spins(), "spin 0: never");
        }
    }

    @Test
    void aBurstOfSubscriptionsDoesNotStarveDelivery() throws Exception {
        Subs timer = new Subs(Long.MAX_VALUE);
        poller.subscribe(Interest.of(EvFilt.TIMER, poller.nextIdent(), 0, Note.MSECONDS, 1, 0), timer);
        flush();
        for (int i = 0; i < 5_000; i++) {
            UserSource u = poller.newUserSource();
            poller.subscribe(u, new Subs(0));
        }
        flush();
        List<CountingKQueue.Call> calls = kq.calls();
        for (int i = 1; i < calls.size(); i++) {
            boolean before = calls.get(i - 1).changes().stream().anyMatch(c -> c.has(Ev.RECEIPT));
            boolean now = calls.get(i).changes().stream().anyMatch(c -> c.has(Ev.RECEIPT));
            assertTrue(!(before && now), "call " + i + " follows a receipt call with receipts again");
        }
        assertTrue(calls.stream().filter(c -> c.changes().stream().anyMatch(ch -> ch.has(Ev.ADD))).count() >= 5,
            "5,000 registrations in batches of at most 64");
    }

    @Test
    void registrationIsDisarmedUntilTheFirstRequest() throws Exception {
        UserSource user = poller.newUserSource();
        Subs s = subscribeTriggered(user);
        List<KEvent> ch = kq.calls().stream().flatMap(c -> c.changes().stream()).filter(c -> c.ident() == user.ident()).toList();
        assertTrue(ch.getFirst().has(Ev.ADD) && ch.getFirst().has(Ev.DISABLE), "added disarmed: " + ch);
        assertTrue(ch.stream().noneMatch(c -> c.has(Ev.ENABLE)), "not armed before a request: " + ch);
        assertEquals(0, s.events.size());
        s.subscription.request(1);
        s.awaitEvents(1);
        assertEquals(1, s.events.getFirst().data());
    }

    @Test
    void requestsFromThePollerThreadNeverWakeIt() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch twenty = new CountDownLatch(20);
        long[] wakeupsAtFirst = new long[1];
        long[] otherCallsAtFirst = new long[1];
        poller.subscribe(Interest.of(EvFilt.TIMER, poller.nextIdent(), 0, Note.MSECONDS, 1, 0),
            new CoreSubscriber<KEvent>() {
                Subscription sub;

                @Override
                public void onSubscribe(Subscription s) {
                    sub = s;
                    s.request(1);
                }

                @Override
                public void onNext(KEvent ev) {
                    if (seen.incrementAndGet() == 1) {
                        wakeupsAtFirst[0] = poller.wakeups();
                        otherCallsAtFirst[0] = kq.otherThreadCalls();
                    }
                    twenty.countDown();
                    if (seen.get() < 20) sub.request(1);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
            });
        assertTrue(twenty.await(20, TimeUnit.SECONDS));
        assertEquals(wakeupsAtFirst[0], poller.wakeups(), "requests made in onNext woke the poller");
        assertEquals(otherCallsAtFirst[0], kq.otherThreadCalls());
    }

    @Test
    void aRequestFromAnotherThreadWakesTheSleepingPoller() throws Exception {
        UserSource user = poller.newUserSource();
        Subs s = subscribeTriggered(user);
        // The loop has nothing to do: it sleeps in kevent; only a wakeup can deliver now.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!poller.isSleeping()) {
            assertTrue(System.nanoTime() < deadline, "the loop never went to sleep");
            Thread.onSpinWait();
        }
        long before = poller.wakeups();
        s.subscription.request(1);
        s.awaitEvents(1);
        assertEquals(before + 1, poller.wakeups(), "woken once through the EVFILT_USER knote");
        assertTrue(kq.calls().stream().flatMap(c -> c.events().stream())
            .anyMatch(e -> e.ident() == Poller.WAKE_IDENT && e.filter() == EvFilt.USER), "the wakeup knote fired");
    }
}
