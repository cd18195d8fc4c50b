package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import org.junit.jupiter.api.Test;

/**
 * NOTE_READINESS: a READ or WRITE knote reports "ready" (data 1) and takes no count when an
 * epoll report has already said so; it counts only where it must decide (EV_ADD, EV_ENABLE,
 * a level re-check, NOTE_LOWAT) and reports the count at EOF.
 */
class ReadinessNoteTest extends KqFixture {

    private static KEvent readiness(short filter, int fd, int flags) {
        return KEvent.of(fd, filter, flags, Note.READINESS, 0, 0);
    }

    @Test
    void anEpollReportIsDeliveredAsReadyWithoutACount() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.READ, p[0], Ev.ADD | Ev.CLEAR));
        long before = kq.fdCounts();
        TestFds.write(p[1], "hello");
        KEvent e = one(kq);
        assertEquals(1, e.data(), "readiness, not the 5 bytes");
        assertFalse(e.has(Ev.EOF));
        assertEquals(0, kq.fdCounts() - before, "no FIONREAD for an edge epoll reported");
    }

    @Test
    void withoutTheNoteTheSameEdgeIsCounted() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD | Ev.CLEAR, 0, 0, 0));
        long before = kq.fdCounts();
        TestFds.write(p[1], "hello");
        assertEquals(5, one(kq).data());
        assertEquals(1, kq.fdCounts() - before);
    }

    @Test
    void dataAlreadyThereAtAddIsCountedToDecideAndReportedAsReady() {
        int[] p = fds.pipe();
        TestFds.write(p[1], "abc");
        KEvent e = one(kq, readiness(EvFilt.READ, p[0], Ev.ADD | Ev.CLEAR));
        assertEquals(1, e.data());
        int[] empty = fds.pipe();
        kq.register(readiness(EvFilt.READ, empty[0], Ev.ADD | Ev.CLEAR));
        assertTrue(poll(kq).isEmpty(), "an empty pipe is not ready");
    }

    @Test
    void edgeTriggeredItStaysQuietWhileDataIsLeftUnread() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.READ, p[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "abc");
        one(kq);
        assertTrue(poll(kq).isEmpty(), "EV_CLEAR: the unread bytes bring no new event");
        TestFds.write(p[1], "d");
        assertEquals(1, one(kq).data(), "more data is a new edge");
    }

    @Test
    void aLevelReadinessKnoteComesBackWhileDataIsLeft() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.READ, p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        assertEquals(1, one(kq).data());
        assertEquals(1, one(kq).data(), "level: re-checked (with a count) and still readable");
        TestFds.read(p[0], 3);
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void reEnablingADispatchedKnoteReportsWhatIsLeft() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.READ, p[0], Ev.ADD | Ev.CLEAR | Ev.DISPATCH));
        TestFds.write(p[1], "abc");
        one(kq);
        TestFds.read(p[0], 1);
        assertTrue(poll(kq).isEmpty(), "disabled after its delivery");
        KEvent e = one(kq, readiness(EvFilt.READ, p[0], Ev.ENABLE));
        assertEquals(1, e.data(), "EV_ENABLE re-evaluates: two bytes are still there");
        TestFds.read(p[0], 2);
        assertTrue(poll(kq, readiness(EvFilt.READ, p[0], Ev.ENABLE)).isEmpty(), "drained: nothing on enable");
    }

    @Test
    void eofReportsTheBytesLeft() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.READ, p[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(p[1], "xyz");
        fds.closeNow(p[1]);
        KEvent e = awaitEvent(kq, ev -> ev.has(Ev.EOF));
        assertEquals(3, e.data(), "at EOF the count says what is left to read");
    }

    @Test
    void aLowWaterMarkStillCounts() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD | Ev.CLEAR, Note.READINESS | Note.LOWAT, 4, 0));
        TestFds.write(p[1], "abc");
        assertTrue(poll(kq).isEmpty(), "3 bytes are under the mark of 4");
        TestFds.write(p[1], "d");
        assertEquals(4, one(kq).data(), "NOTE_LOWAT needs the count, so the count is reported");
    }

    @Test
    void aListeningSocketsConnectionIsReadyWithoutCountingTheBacklog() throws Exception {
        try (var server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            int fd = TestFds.fdOf(server);
            kq.register(readiness(EvFilt.READ, fd, Ev.ADD | Ev.CLEAR));
            long before = kq.fdCounts();
            try (var client = java.nio.channels.SocketChannel.open(server.getLocalAddress())) {
                assertEquals(1, awaitEvent(kq, ev -> ev.ident() == fd).data());
                assertEquals(0, kq.fdCounts() - before);
            }
        }
    }

    @Test
    void writeReadinessTakesNoSpaceCount() {
        int[] s = fds.socketPair();
        KEvent first = one(kq, readiness(EvFilt.WRITE, s[0], Ev.ADD | Ev.CLEAR));
        assertEquals(1, first.data(), "writable at EV_ADD, reported as ready");
        long before = kq.fdCounts();
        long sent = TestFds.fill(s[0]);
        assertTrue(poll(kq).isEmpty(), "full: not writable");
        TestFds.read(s[1], (int) sent);
        KEvent again = awaitEvent(kq, ev -> ev.filter() == EvFilt.WRITE);
        assertEquals(1, again.data());
        assertEquals(0, kq.fdCounts() - before, "no SO_SNDBUF and SIOCOUTQ for the edge");
    }

    @Test
    void writeReadinessSeesTheReaderGo() {
        int[] p = fds.pipe();
        kq.register(readiness(EvFilt.WRITE, p[1], Ev.ADD | Ev.CLEAR));
        one(kq);
        fds.closeNow(p[0]);
        KEvent e = awaitEvent(kq, ev -> ev.has(Ev.EOF));
        assertEquals(0, e.data());
    }
}
