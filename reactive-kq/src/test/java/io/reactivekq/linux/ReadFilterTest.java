package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EVFILT_READ on pipes, socket pairs, TCP and listening sockets: data, EV_EOF, fflags, NOTE_LOWAT. */
class ReadFilterTest extends KqFixture {
    @Test
    void emptyPipeIsNotReadable() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void pipeDataIsTheByteCountReadable() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD, 0, 0, 0x77));
        TestFds.write(p[1], 1234);
        KEvent e = one(kq);
        assertEquals(p[0], e.ident());
        assertEquals(1234, e.data());
        assertEquals(0x77, e.udata());
        assertFalse(e.has(Ev.EOF));
    }

    @Test
    void dataAlreadyThereAtAddIsReported() {
        int[] p = fds.pipe();
        TestFds.write(p[1], "early");
        assertEquals(5, one(kq, read(p[0], Ev.ADD)).data());
    }

    @Test
    void pipeWriterCloseIsEofWithRemainingData() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], "abc");
        fds.closeNow(p[1]);
        KEvent e = awaitEvent(kq, ev -> ev.has(Ev.EOF));
        assertEquals(3, e.data());
        TestFds.read(p[0], 3);
        KEvent again = one(kq);
        assertTrue(again.has(Ev.EOF), "EOF is sticky");
        assertEquals(0, again.data());
    }

    @Test
    void eofIsDeliveredAsExactlyItsBitBesideTheKeptFlags() {
        // The knote keeps its flags in 16-bit words; EV_EOF is the top bit of one and must
        // come back as 0x8000, not sign-extended into the upper half of the int.
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD | Ev.CLEAR | Ev.DISPATCH));
        fds.closeNow(p[1]);
        KEvent e = one(kq);
        assertEquals(Ev.EOF | Ev.CLEAR | Ev.DISPATCH, e.flags(), Ev.names(e.flags()));
    }

    @Test
    void socketPairDataAndShutdownEof() {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(s[1], "12345678");
        KEvent e = one(kq);
        assertEquals(8, e.data());
        assertFalse(e.has(Ev.EOF));
        assertEquals(0, LinuxSys.shutdown(s[1], LinuxSys.SHUT_WR));
        KEvent eof = one(kq);
        assertTrue(eof.has(Ev.EOF), eof::toString);
        assertEquals(8, eof.data());
        assertEquals(0, eof.fflags(), "an orderly shutdown has no socket error");
    }

    @Test
    void tcpDataAndPeerShutdownEof() throws IOException {
        try (Tcp t = new Tcp().pair()) {
            kq.register(read(TestFds.fdOf(t.accepted), Ev.ADD));
            Tcp.send(t.client, 100);
            KEvent e = awaitEvent(kq, ev -> ev.data() == 100);
            assertFalse(e.has(Ev.EOF));
            t.client.shutdownOutput();
            KEvent eof = awaitEvent(kq, ev -> ev.has(Ev.EOF));
            assertEquals(100, eof.data());
            assertEquals(0, eof.fflags());
        }
    }

    @Test
    void tcpResetIsEofWithTheSocketErrorInFflags() throws IOException {
        try (Tcp t = new Tcp().pair()) {
            kq.register(read(TestFds.fdOf(t.accepted), Ev.ADD));
            t.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            t.client.close();
            KEvent eof = awaitEvent(kq, ev -> ev.has(Ev.EOF));
            assertEquals(Errno.ECONNRESET.number(), eof.fflags(), eof::toString);
        }
    }

    @Test
    void listeningSocketDataIsThePendingConnectionCount() throws IOException {
        try (Tcp t = new Tcp(); SocketChannel c1 = t.connect(); SocketChannel c2 = t.connect()) {
            kq.register(read(t.serverFd(), Ev.ADD));
            KEvent e = awaitEvent(kq, ev -> ev.data() == 2);
            assertEquals(t.serverFd(), e.ident());
        }
    }

    @Test
    void listeningSocketReportsConnectionsAndDropsWhenAccepted() throws IOException {
        try (Tcp t = new Tcp()) {
            kq.register(read(t.serverFd(), Ev.ADD));
            assertTrue(poll(kq).isEmpty(), "no connection pending yet");
            try (SocketChannel c = t.connect()) {
                KEvent e = awaitEvent(kq, ev -> ev.data() >= 1);
                assertEquals(1, e.data());
                t.server.accept().close();
                assertTrue(poll(kq).isEmpty(), "accepted connection still reported");
            }
        }
    }

    @Test
    void lowWaterMarkDelaysTheEventUntilEnoughData() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD, Note.LOWAT, 10, 0));
        TestFds.write(p[1], 5);
        assertTrue(poll(kq).isEmpty(), "reported below the low-water mark");
        TestFds.write(p[1], 5);
        assertEquals(10, one(kq).data());
    }

    @Test
    void lowWaterMarkOnASocket() {
        int[] s = fds.socketPair();
        kq.register(KEvent.of(s[0], EvFilt.READ, Ev.ADD | Ev.CLEAR, Note.LOWAT, 100, 0));
        TestFds.write(s[1], 60);
        assertTrue(poll(kq).isEmpty());
        TestFds.write(s[1], 60);
        assertEquals(120, one(kq).data());
    }

    @Test
    void eofIsReportedEvenBelowTheLowWaterMark() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD, Note.LOWAT, 100, 0));
        TestFds.write(p[1], 3);
        fds.closeNow(p[1]);
        KEvent e = awaitEvent(kq, ev -> true);
        assertTrue(e.has(Ev.EOF));
        assertEquals(3, e.data());
    }

    @Test
    void readAndWriteOnOneFdBothKeepTheirEofReporting() {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD), write(s[0], Ev.ADD | Ev.CLEAR));
        assertEquals(EvFilt.WRITE, one(kq).filter(), "a fresh socket is writable");
        fds.closeNow(s[1]);
        Kev.awaitEach(kq, ev -> ev.filter() == EvFilt.READ && ev.has(Ev.EOF),
            ev -> ev.filter() == EvFilt.WRITE && ev.has(Ev.EOF));
        kq.register(write(s[0], Ev.DELETE));
        KEvent e = one(kq);
        assertEquals(EvFilt.READ, e.filter());
        assertTrue(e.has(Ev.EOF), "READ lost its EOF when WRITE was deleted");
    }

    @Test
    void deletingReadKeepsWriteWorkingOnTheSameFd() {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD), write(s[0], Ev.ADD));
        TestFds.write(s[1], "x");
        assertEquals(2, poll(kq).size());
        kq.register(read(s[0], Ev.DELETE));
        List<KEvent> r = poll(kq);
        assertEquals(1, r.size());
        assertEquals(EvFilt.WRITE, r.get(0).filter());
        assertEquals(Map.of("EVFILT_WRITE", 1), kq.knoteCounts());
    }

    @Test
    void raisingTheLowWaterMarkByModificationSilencesTheKnote() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        TestFds.write(p[1], 4);
        assertEquals(4, one(kq).data());
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD, Note.LOWAT, 8, 0));
        assertTrue(poll(kq).isEmpty(), "the modified low-water mark was ignored");
    }

    @Test
    void readdOfAnFdNumberReusedAfterCloseWatchesTheNewFile() {
        int[] old = fds.pipe();
        kq.register(read(old[0], Ev.ADD));
        int[] fresh = fds.pipe();
        // Close the watched read end without EV_DELETE and put another pipe's read end at its number.
        assertEquals(old[0], LinuxSys.dup3(fresh[0], old[0], LinuxSys.O_CLOEXEC));
        kq.register(read(old[0], Ev.ADD));
        TestFds.write(fresh[1], "new");
        KEvent e = awaitEvent(kq, ev -> ev.ident() == old[0]);
        assertEquals(3, e.data());
        assertEquals(Map.of("EVFILT_READ", 1), kq.knoteCounts());
    }

    @Test
    void readdOfAReusedFdNumberReplacesBothStaleFilters() {
        int[] old = fds.socketPair();
        kq.register(read(old[0], Ev.ADD), write(old[0], Ev.ADD | Ev.CLEAR));
        assertEquals(EvFilt.WRITE, one(kq).filter());
        int[] fresh = fds.socketPair();
        assertEquals(old[0], LinuxSys.dup3(fresh[0], old[0], LinuxSys.O_CLOEXEC));
        kq.register(read(old[0], Ev.ADD));
        TestFds.write(fresh[1], "abcd");
        KEvent e = awaitEvent(kq, ev -> ev.ident() == old[0] && ev.filter() == EvFilt.READ);
        assertEquals(4, e.data());
        assertEquals(Map.of("EVFILT_READ", 1), kq.knoteCounts(), "the stale WRITE knote went too");
    }

    @Test
    void addOfTheOtherFilterOnAReusedFdNumberDropsTheStaleKnote() {
        int[] old = fds.socketPair();
        kq.register(write(old[0], Ev.ADD | Ev.CLEAR));
        assertEquals(EvFilt.WRITE, one(kq).filter());
        int[] fresh = fds.pipe();
        assertEquals(old[0], LinuxSys.dup3(fresh[0], old[0], LinuxSys.O_CLOEXEC));
        kq.register(read(old[0], Ev.ADD));
        assertEquals(Map.of("EVFILT_READ", 1), kq.knoteCounts());
        TestFds.write(fresh[1], "pipe");
        KEvent e = awaitEvent(kq, ev -> ev.ident() == old[0]);
        assertEquals(EvFilt.READ, e.filter());
        assertEquals(4, e.data());
    }

    @Test
    void readdOfAClosedFdIsEbadfAndForgetsTheKnote() {
        int[] p = fds.pipe();
        kq.register(read(p[0], Ev.ADD));
        fds.closeNow(p[0]);
        assertEquals(Errno.EBADF.number(), Kev.errorOf(kq, read(p[0], Ev.ADD)).data());
        assertTrue(kq.knoteCounts().isEmpty());
    }

    @Test
    void enableWithoutFflagsDropsTheLowWaterMarkAsInBsd() {
        int[] p = fds.pipe();
        kq.register(KEvent.of(p[0], EvFilt.READ, Ev.ADD | Ev.DISABLE, Note.LOWAT, 100, 0));
        TestFds.write(p[1], 3);
        // Every change but EV_DELETE overwrites the saved fflags and data, EV_ENABLE included.
        assertEquals(3, one(kq, read(p[0], Ev.ENABLE)).data());
    }

    @Test
    void clearReadIsNotReportedAgainWhenOnlyTheSendSideOfTheFdChanges() {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD | Ev.CLEAR), write(s[0], Ev.ADD | Ev.CLEAR));
        TestFds.write(s[1], "in");
        Kev.call(kq, 8, Kev.PATIENCE_NANOS);
        Kev.call(kq, 8, 0);
        // Send from s[0] and let the peer consume it: s[0]'s send buffer frees (a WRITE edge),
        // but no new data arrives for READ.
        TestFds.write(s[0], 3000);
        assertEquals(3000, TestFds.read(s[1], 3000));
        List<KEvent> r = Kev.call(kq, 8, 0);
        assertTrue(r.stream().noneMatch(e -> e.filter() == EvFilt.READ), "spurious EV_CLEAR READ: " + r);
    }

    @Test
    void clearWriteIsNotReportedAgainWhenOnlyDataArrives() {
        int[] s = fds.socketPair();
        kq.register(read(s[0], Ev.ADD | Ev.CLEAR), write(s[0], Ev.ADD | Ev.CLEAR));
        Kev.call(kq, 8, 0);
        TestFds.write(s[1], "data");
        List<KEvent> r = Kev.call(kq, 8, Kev.PATIENCE_NANOS);
        r.addAll(Kev.call(kq, 8, 0));
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.READ), r::toString);
        assertTrue(r.stream().noneMatch(e -> e.filter() == EvFilt.WRITE), "spurious EV_CLEAR WRITE: " + r);
    }

    @Test
    void listeningUnixSocketIsReadableWhileAConnectionIsPending(@TempDir Path dir)
            throws IOException {
        var addr = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(addr);
            kq.register(read(TestFds.fdOf(server), Ev.ADD));
            assertTrue(poll(kq).isEmpty());
            try (SocketChannel c = SocketChannel.open(addr)) {
                assertEquals(1, awaitEvent(kq, ev -> true).data());
                server.accept().close();
                assertTrue(poll(kq).isEmpty(), "accepted connection still reported");
            }
        }
    }

    @Test
    void tcpResetReachesReadAndWriteOnOneFdWithTheSocketError() throws IOException {
        try (Tcp t = new Tcp().pair()) {
            int fd = TestFds.fdOf(t.accepted);
            kq.register(read(fd, Ev.ADD | Ev.CLEAR), write(fd, Ev.ADD | Ev.CLEAR));
            assertEquals(EvFilt.WRITE, one(kq).filter());
            t.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            t.client.close();
            List<KEvent> rw = Kev.awaitEach(kq, ev -> ev.filter() == EvFilt.READ, ev -> ev.filter() == EvFilt.WRITE);
            KEvent r = rw.get(0);
            KEvent w = rw.get(1);
            assertTrue(r.has(Ev.EOF) && w.has(Ev.EOF), r + " " + w);
            assertEquals(Errno.ECONNRESET.number(), r.fflags());
            assertEquals(Errno.ECONNRESET.number(), w.fflags());
        }
    }

    @Test
    void fdWithoutAByteCountIsReadableWhilePollSaysSo() {
        int efd = LinuxSys.eventfd(); // FIONREAD does not apply to an eventfd
        assertTrue(efd >= 0);
        try {
            kq.register(read(efd, Ev.ADD));
            assertTrue(poll(kq).isEmpty());
            assertEquals(8, LinuxSys.writeCounter(efd, 3));
            KEvent e = one(kq);
            assertEquals(efd, e.ident());
            assertTrue(e.data() >= 1, e::toString);
            assertEquals(3, LinuxSys.readCounter(efd));
            assertTrue(poll(kq).isEmpty(), "drained eventfd still reported");
        } finally {
            kq.register(read(efd, Ev.DELETE));
            LinuxSys.close(efd);
        }
    }
}
