package io.reactivekq.poller;

import io.reactivekq.kqueue.Note;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state behind a user-event handle. EVFILT_USER only remembers "triggered", so the
 * handle counts triggers itself: {@link #trigger()} adds one, the poller takes the whole
 * count at each delivery and reports it as the event's data. The user fflags live here too
 * and reach the knote as {@code NOTE_FFCOPY} with every change, which keeps the BSD rule
 * (each change overwrites the saved fflags) harmless. Memory is constant however many
 * triggers wait.
 */
public final class UserSource {
    private final Poller poller;
    private final long ident;
    private final AtomicLong count = new AtomicLong();
    private final AtomicInteger fflags = new AtomicInteger();
    /** A sync op is queued and not yet taken by the poller: later calls need not queue another. */
    private final AtomicBoolean syncQueued = new AtomicBoolean();

    UserSource(Poller poller, long ident) {
        this.poller = poller;
        this.ident = ident;
    }

    public long ident() {
        return ident;
    }

    /** Any thread: one more trigger. Only the first after a delivery talks to the poller. */
    public void trigger() {
        if (count.getAndIncrement() == 0) requestSync();
    }

    /**
     * Any thread: combine {@code bits} (the low 24 bits) into the user fflags with a
     * {@code NOTE_FFAND}, {@code NOTE_FFOR} or {@code NOTE_FFCOPY} control, as kevent would.
     */
    public void modify(int control, int bits) {
        int b = bits & Note.FFLAGSMASK;
        fflags.getAndUpdate(old -> switch (control & Note.FFCTRLMASK) {
            case Note.FFAND -> old & b;
            case Note.FFOR -> old | b;
            case Note.FFCOPY -> b;
            default -> old;
        });
        requestSync();
    }

    /** The user fflags now. */
    public int fflags() {
        return fflags.get();
    }

    /** Triggers not yet delivered. */
    public long pending() {
        return count.get();
    }

    private void requestSync() {
        if (syncQueued.compareAndSet(false, true)) poller.submit(new Op(Op.USER_SYNC, null, this));
    }

    // ---- poller side ----------------------------------------------------------------------

    /** The sync op was taken: a later change must queue a new one. */
    void synced() {
        syncQueued.set(false);
    }

    /** Takes every trigger counted so far. */
    long take() {
        return count.getAndSet(0);
    }

    /** The fflags for a change on the knote: copy the handle's bits, trigger while counts wait. */
    int changeFflags() {
        return Note.FFCOPY | fflags.get() | (count.get() > 0 ? Note.TRIGGER : 0);
    }
}
