package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
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
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** EVFILT_WRITE: data is the free space of the pipe or send buffer; EV_EOF when the reader is gone. */
class WriteFilterTest extends KqFixture {
    @Test
    void emptyPipeIsWritableWithItsWholeCapacity() {
        int[] p = fds.pipe();
        int cap = LinuxSys.fcntl(p[1], LinuxSys.F_GETPIPE_SZ, 0);
        KEvent e = one(kq, write(p[1], Ev.ADD));
        assertEquals(EvFilt.WRITE, e.filter());
        assertEquals(cap, e.data());
        assertFalse(e.has(Ev.EOF));
    }

    @Test
    void pipeDataShrinksByWhatIsQueued() {
        int[] p = fds.pipe();
        int cap = LinuxSys.fcntl(p[1], LinuxSys.F_GETPIPE_SZ, 0);
        kq.register(write(p[1], Ev.ADD));
        TestFds.write(p[1], 1000);
        assertEquals(cap - 1000, one(kq).data());
    }

    @Test
    void fullPipeIsNotWritableUntilTheReaderDrainsIt() {
        int[] p = fds.pipe();
        long written = TestFds.fill(p[1]);
        kq.register(write(p[1], Ev.ADD));
        assertTrue(poll(kq).isEmpty(), "a full pipe was reported writable");
        TestFds.read(p[0], (int) written);
        KEvent e = awaitEvent(kq, ev -> ev.filter() == EvFilt.WRITE);
        assertTrue(e.data() > 0);
    }

    @Test
    void pipeReaderCloseIsEof() {
        int[] p = fds.pipe();
        kq.register(write(p[1], Ev.ADD | Ev.CLEAR));
        assertFalse(one(kq).has(Ev.EOF));
        fds.closeNow(p[0]);
        KEvent e = awaitEvent(kq, ev -> ev.has(Ev.EOF));
        assertEquals(p[1], e.ident());
    }

    @Test
    void socketPairDataIsTheFreeSendBuffer() {
        int[] s = fds.socketPair();
        long before = one(kq, write(s[0], Ev.ADD)).data();
        int sndbuf = LinuxSys.getsockoptInt(s[0], LinuxSys.SOL_SOCKET, LinuxSys.SO_SNDBUF);
        assertTrue(before > 0 && before <= sndbuf, "data " + before + ", SO_SNDBUF " + sndbuf);
        TestFds.write(s[0], 4000);
        long after = one(kq).data();
        assertTrue(after <= before - 4000, "before " + before + ", after " + after);
    }

    @Test
    void socketPairPeerCloseIsEof() {
        int[] s = fds.socketPair();
        kq.register(write(s[0], Ev.ADD | Ev.CLEAR));
        one(kq);
        fds.closeNow(s[1]);
        assertTrue(awaitEvent(kq, ev -> true).has(Ev.EOF));
    }

    @Test
    void tcpSocketIsWritableWithFreeSpace() throws IOException {
        try (Tcp t = new Tcp().pair()) {
            int fd = TestFds.fdOf(t.client);
            KEvent e = one(kq, write(fd, Ev.ADD));
            int sndbuf = LinuxSys.getsockoptInt(fd, LinuxSys.SOL_SOCKET, LinuxSys.SO_SNDBUF);
            assertTrue(e.data() > 0 && e.data() <= sndbuf, e + " SO_SNDBUF " + sndbuf);
        }
    }

    @Test
    void fullTcpSendBufferIsNotWritableUntilThePeerReads() throws IOException {
        try (Tcp t = new Tcp().pair()) {
            t.client.configureBlocking(false);
            int fd = TestFds.fdOf(t.client);
            kq.register(write(fd, Ev.ADD));
            long sent = 0;
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            // Fill until the kernel refuses and the knote agrees; loopback may drain a little
            // more after a write returns, so fill again while the knote still says writable.
            boolean full = false;
            for (int round = 0; round < 200 && !full; round++) {
                int n;
                do {
                    b.clear();
                    n = t.client.write(b);
                    sent += n;
                } while (n > 0);
                full = poll(kq).isEmpty();
            }
            assertTrue(full, "a full send buffer kept being reported writable");
            Tcp.receive(t.accepted, sent);
            KEvent e = awaitEvent(kq, ev -> ev.filter() == EvFilt.WRITE);
            assertTrue(e.data() > 0);
        }
    }

    @Test
    void lowWaterMarkAboveTheFreeSpaceHoldsTheEvent() {
        int[] p = fds.pipe();
        int cap = LinuxSys.fcntl(p[1], LinuxSys.F_GETPIPE_SZ, 0);
        TestFds.write(p[1], 100);
        kq.register(KEvent.of(p[1], EvFilt.WRITE, Ev.ADD, Note.LOWAT, cap, 0));
        assertTrue(poll(kq).isEmpty(), "reported below the low-water mark");
        KEvent e = one(kq, KEvent.of(p[1], EvFilt.WRITE, Ev.ADD, Note.LOWAT, cap - 100, 0));
        assertEquals(cap - 100, e.data());
    }

    @Test
    void writeSharingItsFdWithReadFiresWhenSpaceFreesAndAfterReadIsDeleted() {
        int[] s = fds.socketPair();
        kq.register(KEvent.of(s[0], EvFilt.READ, Ev.ADD, 0, 0, 0), write(s[0], Ev.ADD | Ev.CLEAR));
        assertEquals(EvFilt.WRITE, one(kq).filter());
        long sent = TestFds.fill(s[0]);
        assertTrue(poll(kq).isEmpty(), "nothing changed for either filter");
        TestFds.read(s[1], (int) sent);
        KEvent e = awaitEvent(kq, ev -> ev.filter() == EvFilt.WRITE);
        assertTrue(e.data() > 0);
        // With READ gone the WRITE interest moves back to the main registration and keeps working.
        kq.register(KEvent.of(s[0], EvFilt.READ, Ev.DELETE, 0, 0, 0));
        sent = TestFds.fill(s[0]);
        assertTrue(poll(kq).isEmpty());
        TestFds.read(s[1], (int) sent);
        assertEquals(EvFilt.WRITE, awaitEvent(kq, ev -> true).filter());
    }

    @Test
    void nonBlockingConnectCompletesAsWritable() throws IOException {
        try (Tcp t = new Tcp(); SocketChannel c = SocketChannel.open()) {
            c.configureBlocking(false);
            c.connect(t.server.getLocalAddress());
            kq.register(write(TestFds.fdOf(c), Ev.ADD | Ev.ONESHOT));
            KEvent e = awaitEvent(kq, ev -> true);
            assertFalse(e.has(Ev.EOF), e::toString);
            assertTrue(c.finishConnect());
        }
    }

    @Test
    void refusedConnectIsEofWithTheErrorInFflags() throws IOException {
        SocketAddress closedPort;
        try (Tcp t = new Tcp()) {
            closedPort = t.server.getLocalAddress();
        }
        try (SocketChannel c = SocketChannel.open()) {
            c.configureBlocking(false);
            c.connect(closedPort);
            kq.register(write(TestFds.fdOf(c), Ev.ADD));
            KEvent e = awaitEvent(kq, ev -> ev.has(Ev.EOF));
            assertEquals(Errno.ECONNREFUSED.number(), e.fflags(), e::toString);
        }
    }
}
