package io.reactivekq.poller;

import io.reactivekq.kqueue.Note;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The state behind a user-event handle. EVFILT_USER only remembers "triggered", so the
 * handle counts triggers itself: {@link #trigger()} adds one, the poller takes the whole
 * count at each delivery and reports it as the event's data. The user fflags live here too
 * and reach the knote as {@code NOTE_FFCOPY} with every change, which keeps the BSD rule
 * (each change overwrites the saved fflags) harmless. Memory is constant however many
 * triggers wait.
 */
public final class UserSource {
    private static final AtomicLongFieldUpdater<UserSource> COUNT =
        AtomicLongFieldUpdater.newUpdater(UserSource.class, "count");
    private static final AtomicIntegerFieldUpdater<UserSource> FFLAGS =
        AtomicIntegerFieldUpdater.newUpdater(UserSource.class, "fflags");
    private static final AtomicIntegerFieldUpdater<UserSource> SYNC_QUEUED =
        AtomicIntegerFieldUpdater.newUpdater(UserSource.class, "syncQueued");

    private final Poller poller;
    private final long ident;
    private volatile long count;
    private volatile int fflags;
    /** 1 while a sync op is queued and not yet taken by the poller: later calls need not queue another. */
    private volatile int syncQueued;

    UserSource(Poller poller, long ident) {
        this.poller = poller;
        this.ident = ident;
    }

    public long ident() {
        return ident;
    }

    /** The poller whose knote this source counts for. */
    public Poller poller() {
        return poller;
    }

    /** Any thread: one more trigger. Only the first after a delivery talks to the poller. */
    public void trigger() {
        if (COUNT.getAndIncrement(this) == 0) requestSync();
    }

    /**
     * Any thread: combine {@code bits} (the low 24 bits) into the user fflags with a
     * {@code NOTE_FFAND}, {@code NOTE_FFOR} or {@code NOTE_FFCOPY} control, as kevent would.
     */
    public void modify(int control, int bits) {
        int b = bits & Note.FFLAGSMASK;
        FFLAGS.getAndUpdate(this, old -> switch (control & Note.FFCTRLMASK) {
            case Note.FFAND -> old & b;
            case Note.FFOR -> old | b;
            case Note.FFCOPY -> b;
            default -> old;
        });
        requestSync();
    }

    /** The user fflags now. */
    public int fflags() {
        return fflags;
    }

    /** Triggers not yet delivered. */
    public long pending() {
        return count;
    }

    private void requestSync() {
        if (SYNC_QUEUED.compareAndSet(this, 0, 1)) poller.submit(new Op(Op.USER_SYNC, null, this));
    }

    // ---- poller side ----------------------------------------------------------------------

    /** The sync op was taken: a later change must queue a new one. */
    void synced() {
        syncQueued = 0;
    }

    /** Takes every trigger counted so far. */
    long take() {
        return COUNT.getAndSet(this, 0);
    }

    /** The fflags for a change on the knote: copy the handle's bits, trigger while counts wait. */
    int changeFflags() {
        return Note.FFCOPY | fflags | (count > 0 ? Note.TRIGGER : 0);
    }
}
