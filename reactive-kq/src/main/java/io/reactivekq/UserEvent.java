package io.reactivekq;

import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;
import io.reactivekq.poller.UserSource;
import reactor.core.publisher.Flux;

/**
 * An application event (EVFILT_USER) that any thread may trigger. Triggers are counted:
 * however many arrive while a subscriber has no demand, its next event reports them all in
 * {@code data}, and memory stays constant. The user fflags (low 24 bits) can be changed from
 * any thread with {@link #or}, {@link #and} and {@link #copy}; events carry them in
 * {@code fflags}.
 */
public final class UserEvent {
    /** The handle's counting state, which is also what each subscriber registers. */
    private final UserSource source;

    UserEvent(UserSource source) {
        this.source = source;
    }

    /**
     * The events: one registration per subscriber; subscribers of one handle share its knote.
     * A new (cold) flux per call rather than one kept per handle: a handle is often held
     * for a long time, its flux only while subscribing.
     */
    public Flux<KEvent> flux() {
        return KqFlux.of(source.poller(), source);
    }

    /** Any thread: one trigger. */
    public void trigger() {
        source.trigger();
    }

    /** Any thread: OR {@code bits} into the user fflags ({@code NOTE_FFOR}). */
    public void or(int bits) {
        source.modify(Note.FFOR, bits);
    }

    /** Any thread: AND {@code bits} into the user fflags ({@code NOTE_FFAND}). */
    public void and(int bits) {
        source.modify(Note.FFAND, bits);
    }

    /** Any thread: replace the user fflags ({@code NOTE_FFCOPY}). */
    public void copy(int bits) {
        source.modify(Note.FFCOPY, bits);
    }

    /** The user fflags now. */
    public int fflags() {
        return source.userFflags();
    }

    /** Triggers counted and not yet delivered to (or dropped with) a subscription. */
    public long pending() {
        return source.pending();
    }

    /** The ident of the knote in its poller. */
    public long ident() {
        return source.ident();
    }

    @Override
    public String toString() {
        return "UserEvent{ident=" + ident() + ", pending=" + source.pending() + "}";
    }
}
