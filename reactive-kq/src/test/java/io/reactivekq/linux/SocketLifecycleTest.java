package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * A socket watched before it is connected (the Reactor Netty order: create, register,
 * connect). Linux polls HUP for a stream socket that is not connected; that is no EOF.
 */
class SocketLifecycleTest extends KqFixture {

    @Test
    void aTcpSocketRegisteredBeforeConnectIsNotAtEof() throws Exception {
        try (Tcp tcp = new Tcp(); SocketChannel client = SocketChannel.open()) {
            int fd = TestFds.fdOf(client);
            for (KEvent e : poll(kq, read(fd, Ev.ADD | Ev.CLEAR), write(fd, Ev.ADD | Ev.CLEAR))) {
                assertFalse(e.has(Ev.EOF), "unconnected socket reported EOF: " + e);
            }
            client.connect(tcp.server.getLocalAddress());
            try (SocketChannel accepted = tcp.server.accept()) {
                Tcp.send(accepted, 3);
                KEvent r = awaitEvent(kq, e -> e.filter() == EvFilt.READ);
                assertEquals(3, r.data());
                assertFalse(r.has(Ev.EOF), "connected socket with data reported EOF: " + r);
                accepted.close();
                KEvent eof = awaitEvent(kq, e -> e.filter() == EvFilt.READ && e.has(Ev.EOF));
                assertEquals(3, eof.data(), "the unread bytes are still reported with EV_EOF");
            }
        }
    }

    @Test
    void aUnixSocketPairPeerCloseIsEofOnBothFilters() throws Exception {
        int[] sp = fds.socketPair();
        assertTrue(poll(kq, read(sp[0], Ev.ADD), write(sp[0], Ev.ADD)).stream()
            .noneMatch(e -> e.has(Ev.EOF)), "a connected pair is not at EOF");
        fds.closeNow(sp[1]);
        awaitEvent(kq, e -> e.filter() == EvFilt.READ && e.has(Ev.EOF));
        awaitEvent(kq, e -> e.filter() == EvFilt.WRITE && e.has(Ev.EOF));
    }
}
