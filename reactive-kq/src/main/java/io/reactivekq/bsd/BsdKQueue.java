package io.reactivekq.bsd;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Os;
import io.reactivekq.sys.BsdSys;
import io.reactivekq.sys.KeventBuffer;
import io.reactivekq.sys.NativeArena;

/**
 * The native kqueue of macOS (through kevent64, for the extension words) and FreeBSD. The
 * kernel provides every semantic; this class only translates constants and copies events in
 * and out of native buffers. Buffers are per call, so any thread may call {@code kevent}.
 */
public final class BsdKQueue implements KQueue {
    private final Os os;
    private final int kq;
    private final KeventBuffer.Layout layout;
    private volatile boolean closed;

    private BsdKQueue(Os os, int kq) {
        this.os = os;
        this.kq = kq;
        this.layout = layoutFor(os);
    }

    static KeventBuffer.Layout layoutFor(Os os) {
        return os == Os.MACOS ? KeventBuffer.Layout.MACOS_KEVENT64 : KeventBuffer.Layout.FREEBSD_KEVENT;
    }

    public static KQueue open(Os os) {
        int fd = BsdSys.kqueue();
        if (fd < 0) throw new KqException(-fd, "kqueue", -1);
        return new BsdKQueue(os, fd);
    }

    @Override
    public String backend() {
        return os == Os.MACOS ? "macos" : "freebsd";
    }

    @Override
    public int kevent(KEvent[] changes, int nchanges, KEvent[] events, int nevents, long timeoutNanos) {
        if (nchanges < 0 || nchanges > changes.length || nevents < 0 || nevents > events.length) {
            throw new KqException(Errno.EINVAL, "kevent", -1, "counts exceed the arrays");
        }
        try (NativeArena arena = new NativeArena()) {
            if (closed) throw new KqException(Errno.EBADF, "kevent", -1, "kqueue is closed");
            // Changes the OS cannot do are answered here, as the kernel would answer a bad change.
            KeventBuffer in = new KeventBuffer(arena, layout, nchanges);
            KeventBuffer out = new KeventBuffer(arena, layout, nevents);
            int n = 0;
            int m = 0;
            for (int i = 0; i < nchanges; i++) {
                KEvent c = changes[i];
                int err = BsdConstants.unsupportedNotes(os, c.filter(), c.fflags());
                if (err != 0) {
                    if (n >= nevents) throw new KqException(err, "kevent " + EvFilt.name(c.filter()), c.ident());
                    events[n++] = new KEvent(c.ident(), c.filter(), Ev.ERROR, c.fflags(), err, c.udata(), 0, 0);
                    continue;
                }
                in.set(m++, c.ident(), BsdConstants.filterToNative(os, c.filter()), c.flags(),
                    BsdConstants.fflagsToNative(os, c.filter(), c.fflags()), c.data(), c.udata(), c.ext0(), c.ext1());
            }
            if (n > 0 && m == 0) return n;
            int r = BsdSys.kevent(kq, in, m, out, nevents - n, n > 0 ? 0 : timeoutNanos);
            if (r < 0) {
                if (r == -Errno.EINTR.number(os)) return n;
                throw new KqException(-r, "kevent", -1);
            }
            for (int i = 0; i < r; i++) {
                short filter = BsdConstants.filterFromNative(os, out.filter(i));
                events[n++] = new KEvent(out.ident(i), filter, out.flags(i),
                    BsdConstants.fflagsFromNative(os, filter, out.fflags(i)), out.data(i), out.udata(i),
                    out.ext0(i), out.ext1(i));
            }
            return n;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // A thread already blocked in kevent keeps the kernel's kqueue alive until its wait ends
        // (wake it first with an EVFILT_USER trigger, as the poller does); the flag keeps later
        // calls from reaching a reused fd number.
        BsdSys.close(kq);
    }
}
