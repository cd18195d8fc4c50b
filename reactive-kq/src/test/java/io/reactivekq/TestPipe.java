package io.reactivekq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/** A non-blocking java.nio pipe and its two fds, for READ/WRITE flux tests. */
final class TestPipe implements AutoCloseable {
    final Pipe pipe;
    final int readFd;
    final int writeFd;

    TestPipe() {
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readFd = fdOf(pipe.source());
        writeFd = fdOf(pipe.sink());
    }

    void write(int bytes) {
        try {
            int n = pipe.sink().write(ByteBuffer.allocate(bytes));
            if (n != bytes) throw new AssertionError("wrote " + n + " of " + bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes until the pipe is full; the bytes written. */
    long fill() {
        try {
            long total = 0;
            int n;
            ByteBuffer b = ByteBuffer.allocate(4096);
            while ((n = pipe.sink().write(b.clear())) > 0) total += n;
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int drain() {
        try {
            int total = 0;
            int n;
            ByteBuffer b = ByteBuffer.allocate(4096);
            while ((n = pipe.source().read(b.clear())) > 0) total += n;
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void closeSink() {
        try {
            pipe.sink().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void closeSource() {
        try {
            pipe.source().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int fdOf(SelectableChannel ch) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(ch);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the channel's fd", e);
        }
    }

    @Override
    public void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
    }
}
