package io.reactivekq.poller;

import io.reactivekq.kqueue.EvFilt;
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
 *
 * <p>A source is also the {@link Interest} its handle's subscribers register (EVFILT_USER on
 * its ident, every user note), so a handle is two small objects, not three.
 */
public final class UserSource implements Interest {
    private static final AtomicLongFieldUpdater<UserSource> COUNT =
        AtomicLongFieldUpdater.newUpdater(UserSource.class, "count");
    private static final AtomicIntegerFieldUpdater<UserSource> WORD =
        AtomicIntegerFieldUpdater.newUpdater(UserSource.class, "word");
    /**
     * Bit of {@link #word}: a sync op is queued and not yet taken by the poller, so later
     * calls need not queue another. It shares the word with the user fflags (low 24 bits)
     * rather than taking a field of its own: every handle pays for its fields.
     */
    private static final int SYNC_QUEUED = 1 << 31;

    private final Poller poller;
    private final long ident;
    private volatile long count;
    /** The user fflags (low 24 bits) and {@link #SYNC_QUEUED}. */
    private volatile int word;
    /**
     * Poller thread only: the knote the handle's subscribers share, while there is one. A
     * handle's knote is found through the handle, so it needs no (filter, ident) key slot.
     */
    MuxNote knote;

    UserSource(Poller poller, long ident) {
        this.poller = poller;
        this.ident = ident;
    }

    @Override
    public long ident() {
        return ident;
    }

    @Override
    public short filter() {
        return EvFilt.USER;
    }

    @Override
    public int flags() {
        return 0;
    }

    /** The notes a subscriber registers for: every user bit. */
    @Override
    public int fflags() {
        return Note.FFLAGSMASK;
    }

    @Override
    public long data() {
        return 0;
    }

    @Override
    public long ext1() {
        return 0;
    }

    @Override
    public UserSource user() {
        return this;
    }

    @Override
    public Runnable release() {
        return null;
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
        WORD.getAndUpdate(this, old -> (old & SYNC_QUEUED) | switch (control & Note.FFCTRLMASK) {
            case Note.FFAND -> old & b;
            case Note.FFOR -> old | b;
            case Note.FFCOPY -> b;
            default -> old & Note.FFLAGSMASK;
        });
        requestSync();
    }

    /** The user fflags now. */
    public int userFflags() {
        return word & Note.FFLAGSMASK;
    }

    /** Triggers not yet delivered. */
    public long pending() {
        return count;
    }

    private void requestSync() {
        if ((WORD.getAndUpdate(this, w -> w | SYNC_QUEUED) & SYNC_QUEUED) == 0) {
            poller.submit(new Op(Op.USER_SYNC, null, this));
        }
    }

    // ---- poller side ----------------------------------------------------------------------

    /** The sync op was taken: a later change must queue a new one. */
    void synced() {
        WORD.getAndUpdate(this, w -> w & ~SYNC_QUEUED);
    }

    /** Takes every trigger counted so far. */
    long take() {
        return COUNT.getAndSet(this, 0);
    }

    /** The fflags for a change on the knote: copy the handle's bits, trigger while counts wait. */
    int changeFflags() {
        return Note.FFCOPY | userFflags() | (count > 0 ? Note.TRIGGER : 0);
    }
}
