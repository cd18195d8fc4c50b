package io.reactivekq.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A TCP listener on 127.0.0.1 and, on demand, connected pairs through it; closes them all. */
final class Tcp implements AutoCloseable {
    final ServerSocketChannel server;
    SocketChannel client;
    SocketChannel accepted;

    Tcp() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    }

    int serverFd() {
        return TestFds.fdOf(server);
    }

    /** Connects a client (blocking connect) without accepting it. */
    SocketChannel connect() throws IOException {
        return SocketChannel.open(server.getLocalAddress());
    }

    /** A connected pair: {@link #client} and {@link #accepted}. */
    Tcp pair() throws IOException {
        client = connect();
        accepted = server.accept();
        return this;
    }

    static void send(SocketChannel ch, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) ch.write(b);
    }

    /** Reads exactly {@code bytes} bytes (blocking). */
    static void receive(SocketChannel ch, long bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long left = bytes;
        while (left > 0) {
            b.clear().limit((int) Math.min(b.capacity(), left));
            int n = ch.read(b);
            if (n < 0) throw new IOException("eof after " + (bytes - left));
            left -= n;
        }
    }

    @Override
    public void close() throws IOException {
        if (client != null) client.close();
        if (accepted != null) accepted.close();
        server.close();
    }
}
