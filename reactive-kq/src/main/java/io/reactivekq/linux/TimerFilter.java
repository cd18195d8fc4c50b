package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;

/**
 * EVFILT_TIMER: ident is any id, data the period (or, with NOTE_ABSOLUTE, the wall-clock
 * deadline) in the unit fflags select (milliseconds by default). Periodic unless EV_ONESHOT
 * or NOTE_ABSOLUTE; EV_CLEAR is implied and data reports the expirations since the last
 * delivery. With NOTE_LEEWAY, ext1 is the nanoseconds the timer may fire late, so that
 * nearby timers share a wakeup.
 */
final class TimerFilter implements FilterOps {
    private static final int ALLOWED = Note.TIMER_UNIT_MASK | Note.ABSOLUTE | Note.LEEWAY;

    @Override
    public Knote newKnote(KEvent change) {
        return new ScheduledKnote(change, this);
    }

    @Override
    public int attach(LinuxKQueue kq, Knote kn) {
        kn.flags |= Ev.CLEAR;
        return program(kq, kn);
    }

    @Override
    public void detach(LinuxKQueue kq, Knote kn) {
        kq.timers().cancel((ScheduledKnote) kn);
    }

    @Override
    public void enabledChanged(LinuxKQueue kq, Knote kn) {
        kq.timers().enabledChanged((ScheduledKnote) kn);
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        kn.data += hint;
        return kn.data > 0;
    }

    @Override
    public int modify(LinuxKQueue kq, Knote kn, KEvent change) {
        if ((change.flags() & Ev.ADD) == 0) return 0; // enable/disable keep the running timer
        int oldFflags = kn.sfflags;
        long oldData = kn.sdata;
        long oldExt = kn.ext1();
        kn.sfflags = change.fflags();
        kn.sdata = change.data();
        kn.setExt(kn.ext0(), change.ext1());
        // A re-added timer starts over: undelivered expirations of the old one are dropped.
        int err = program(kq, kn);
        if (err != 0) {
            kn.sfflags = oldFflags;
            kn.sdata = oldData;
            kn.setExt(kn.ext0(), oldExt);
            return err;
        }
        kn.data = 0;
        kq.deactivate(kn); // an expiration already queued must not be delivered (with data 0)
        return 0;
    }

    /** Validates the knote's saved timer settings and schedules it; 0 or EINVAL. */
    private static int program(LinuxKQueue kq, Knote kn) {
        int ff = kn.sfflags;
        int unit = ff & Note.TIMER_UNIT_MASK;
        if ((ff & ~ALLOWED) != 0 || Integer.bitCount(unit) > 1 || kn.sdata < 0
            || ((ff & Note.LEEWAY) != 0 && kn.ext1() < 0)) {
            return Errno.EINVAL.number();
        }
        long nanosPerUnit = switch (unit) {
            case Note.SECONDS -> 1_000_000_000L;
            case Note.USECONDS -> 1_000L;
            case Note.NSECONDS -> 1L;
            default -> 1_000_000L;
        };
        long amount = saturatedMultiply(kn.sdata, nanosPerUnit);
        long leeway = (ff & Note.LEEWAY) != 0 ? kn.ext1() : 0;
        long now = System.nanoTime();
        ScheduledKnote e = (ScheduledKnote) kn;
        if ((ff & Note.ABSOLUTE) != 0) {
            long wallNow = saturatedMultiply(System.currentTimeMillis(), 1_000_000L);
            kq.timers().schedule(e, TimerQueue.saturatedAdd(now, Math.max(0, amount - wallNow)), leeway, 0);
        } else if (kn.has(Ev.ONESHOT)) {
            kq.timers().schedule(e, TimerQueue.saturatedAdd(now, amount), leeway, 0);
        } else {
            long period = Math.max(amount, nanosPerUnit); // a zero period means one unit, as in BSD
            kq.timers().schedule(e, TimerQueue.saturatedAdd(now, period), leeway, period);
        }
        kq.wakeWaiters();
        return 0;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) return lo;
        return Long.MAX_VALUE;
    }
}
