package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * A plain level-triggered READ knote is watched level-triggered in epoll, so that epoll (not a
 * FIONREAD re-check of the core's) decides whether a delivered knote is still ready; every
 * other kind stays edge-triggered. The registration's mode is read from the epoll fd's
 * {@code /proc/self/fdinfo} entry, where EPOLLET shows as bit 31 of the watched events.
 */
class LevelTriggeredReadTest extends KqFixture {

    @Test
    void aPlainReadKnoteIsWatchedLevelTriggered() throws IOException {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        assertFalse(edgeTriggered(p[0]));
    }

    @Test
    void dispatchClearLowWaterAndDisabledKnotesAreWatchedEdgeTriggered() throws IOException {
        int[] dispatch = fds.pipe();
        int[] clear = fds.pipe();
        int[] lowWater = fds.pipe();
        int[] disabled = fds.pipe();
        kq.register(read(dispatch[0], Ev.ADD | Ev.DISPATCH));
        kq.register(read(clear[0], Ev.ADD | Ev.CLEAR));
        kq.register(KEvent.of(lowWater[0], EvFilt.READ, Ev.ADD, Note.LOWAT, 10, 0));
        kq.register(read(disabled[0], Ev.ADD | Ev.DISABLE));
        assertTrue(edgeTriggered(dispatch[0]), "EV_DISPATCH");
        assertTrue(edgeTriggered(clear[0]), "EV_CLEAR");
        assertTrue(edgeTriggered(lowWater[0]), "NOTE_LOWAT");
        assertTrue(edgeTriggered(disabled[0]), "EV_DISABLE at EV_ADD");
    }

    @Test
    void disablingSwitchesToEdgeAndEnablingBackToLevel() throws IOException {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        kq.register(read(p[0], Ev.DISABLE));
        assertTrue(edgeTriggered(p[0]));
        TestFds.write(p[1], "ab");
        assertTrue(poll(kq).isEmpty(), "a disabled knote is not returned");
        kq.register(read(p[0], Ev.ENABLE));
        assertFalse(edgeTriggered(p[0]));
        assertEquals(2, one(kq).data(), "what arrived while disabled is reported on enable");
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD, Note.LOWAT, 5, 0));
        assertTrue(edgeTriggered(p[0]), "an EV_ADD that sets NOTE_LOWAT");
    }

    @Test
    void aDeliveredKnoteIsReturnedByEachCallWhileDataRemainsAndNotAfter() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        assertEquals(3, one(kq).data());
        assertEquals(3, one(kq).data(), "still readable: returned again");
        TestFds.read(p[0], 1);
        assertEquals(2, one(kq).data(), "the count is current");
        TestFds.read(p[0], 2);
        assertTrue(poll(kq).isEmpty(), "drained: not returned");
        TestFds.write(p[1], "de");
        KEvent[] out = new KEvent[1];
        assertEquals(1, kq.kevent(KQueue.NO_EVENTS, 0, out, 1, Kev.PATIENCE_NANOS), "a sleeping call wakes for new data");
        assertEquals(2, out[0].data());
    }

    @Test
    void withWriteWatchedTooReadStaysLevelAndWriteAloneIsEdge() throws IOException {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD));
        kq.register(write(s[0], Ev.ADD));
        assertFalse(edgeTriggered(s[0]), "READ keeps the main registration");
        TestFds.write(s[1], "xy");
        int reads = 0;
        int writes = 0;
        for (int call = 0; call < 3; call++) {
            for (KEvent e : poll(kq)) {
                if (e.filter() == EvFilt.READ) reads++; else writes++;
            }
        }
        assertEquals(3, reads, "READ returned by each call while readable");
        assertEquals(3, writes, "WRITE returned by each call while writable");
        kq.register(read(s[0], Ev.DELETE));
        assertTrue(edgeTriggered(s[0]), "WRITE alone: re-checked by the core, edge-triggered in epoll");
        assertEquals(EvFilt.WRITE, one(kq).filter());
        assertEquals(EvFilt.WRITE, one(kq).filter(), "a level WRITE knote is still returned by each call");
    }

    @Test
    void aStreamSocketNotConnectedYetFallsBackToEdgeTriggered() throws IOException {
        // Linux polls HUP for an unconnected stream socket, which is no EOF: level-triggered,
        // epoll would return it on every wait while the filter finds nothing to report.
        try (SocketChannel unconnected = SocketChannel.open()) {
            int fd = TestFds.fdOf(unconnected);
            kq.register(read(fd, Ev.ADD));
            for (int call = 0; call < 5; call++) assertTrue(poll(kq).isEmpty(), "no EOF, no data");
            assertTrue(edgeTriggered(fd), "after a few reports the filter disagreed with");
            KEvent[] out = new KEvent[1];
            long start = System.nanoTime();
            assertEquals(0, kq.kevent(KQueue.NO_EVENTS, 0, out, 1, 50_000_000L));
            assertTrue(System.nanoTime() - start >= 50_000_000L, "the call slept its timeout");
            kq.register(read(fd, Ev.DELETE));
        }
    }

    @Test
    void oneDisagreementBetweenAgreementsKeepsLevelTriggering() throws IOException {
        // A zero-length datagram polls readable with nothing to read (FIONREAD 0): the filter
        // disagrees with epoll once per call until it is read, which stands in for a race
        // with another reader. Two in a row, then an agreement, must not count as three.
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ch.configureBlocking(false);
            int fd = TestFds.fdOf(ch);
            kq.register(read(fd, Ev.ADD));
            ByteBuffer in = ByteBuffer.allocate(16);
            ch.send(ByteBuffer.allocate(0), ch.getLocalAddress());
            assertTrue(poll(kq).isEmpty(), "a zero-length datagram is no data");
            assertTrue(poll(kq).isEmpty());
            assertFalse(edgeTriggered(fd), "two disagreements");
            ch.receive(in.clear());
            ch.send(ByteBuffer.wrap(new byte[] {7}), ch.getLocalAddress());
            assertEquals(1, one(kq).data(), "an agreement");
            ch.receive(in.clear());
            ch.send(ByteBuffer.allocate(0), ch.getLocalAddress());
            assertTrue(poll(kq).isEmpty());
            assertTrue(poll(kq).isEmpty());
            assertFalse(edgeTriggered(fd), "two again: the agreement reset the count");
            assertTrue(poll(kq).isEmpty());
            assertTrue(edgeTriggered(fd), "the third in a row");
            kq.register(read(fd, Ev.DELETE));
        }
    }

    /** Whether the kqueue's epoll watches {@code fd} edge-triggered (EPOLLET), per /proc/self/fdinfo. */
    private boolean edgeTriggered(int fd) throws IOException {
        for (String line : ProcFs.read("/proc/self/fdinfo/" + kq.epollFdForTest()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            // tfd: <fd> events: <hex mask> data: <hex> ...
            if (f.length >= 4 && f[0].equals("tfd:") && Integer.parseInt(f[1]) == fd && f[2].equals("events:")) {
                return (Integer.parseUnsignedInt(f[3], 16) & LinuxSys.EPOLLET) != 0;
            }
        }
        throw new AssertionError("fd " + fd + " is not in the kqueue's epoll");
    }
}
