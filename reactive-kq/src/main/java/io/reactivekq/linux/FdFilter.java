package io.reactivekq.linux;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;

/**
 * What EVFILT_READ and EVFILT_WRITE share: both hang off the fd's {@link FdSource}, so they
 * attach, detach and notice a closed-and-reused fd number the same way.
 */
abstract class FdFilter implements FilterOps {
    private final boolean isRead;
    private final String addCall;

    FdFilter(boolean isRead, String filterName) {
        this.isRead = isRead;
        this.addCall = "kevent EV_ADD " + filterName;
    }

    @Override
    public final int attach(LinuxKQueue kq, Knote kn) {
        FdSource.obtain(kq, kn.ident, addCall).attach(kq, kn, isRead);
        return 0;
    }

    @Override
    public final void detach(LinuxKQueue kq, Knote kn) {
        ((FdSource) kn.source).detach(kq, kn);
    }

    @Override
    public final KEvent deliver(Knote kn) {
        FdSource s = (FdSource) kn.source;
        if (isRead) return s.lastRead = kn.toEvent(s.lastRead);
        return s.lastWrite = kn.toEvent(s.lastWrite);
    }

    /** The knote asked for readiness alone (NOTE_READINESS without NOTE_LOWAT): no count to report. */
    static boolean readinessOnly(Knote kn) {
        return Note.readinessOnly(kn.sfflags);
    }

    /** The bytes (READ) or free space (WRITE) at which the knote fires: its NOTE_LOWAT data, else 1. */
    static long lowWater(Knote kn) {
        return (kn.sfflags & Note.LOWAT) != 0 ? Math.max(1, kn.sdata) : 1;
    }

    @Override
    public final boolean dropIfStale(LinuxKQueue kq, Knote kn) {
        return FdSource.dropIfStale(kq, kn);
    }
}
