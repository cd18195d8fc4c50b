package io.reactivekq.poller;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;

/**
 * How the reactive protocol treats each filter: which registration flags it needs, whether
 * subscribers sharing a knote pick their own notes out of it, whether data adds up across
 * coalesced events, and which event is the last one.
 */
final class FilterPolicy {
    private FilterPolicy() {}

    /**
     * Flags of every registration: EV_DISPATCH for demand, and EV_CLEAR where the filter
     * accumulates (counts, notes) so that each delivery reports only what is new. READ and
     * WRITE are levels: with EV_DISPATCH alone a re-enable re-checks the condition.
     */
    static int protocolFlags(short filter) {
        return switch (filter) {
            case EvFilt.READ, EvFilt.WRITE -> Ev.DISPATCH;
            default -> Ev.DISPATCH | Ev.CLEAR;
        };
    }

    /** Notes every registration of the filter asks for, so that its final event is seen. */
    static int finalNotes(short filter) {
        return switch (filter) {
            case EvFilt.VNODE -> Note.DELETE | Note.REVOKE;
            case EvFilt.PROC -> Note.EXIT;
            default -> 0;
        };
    }

    /** True where fflags are notes a subscriber chose: a shared knote hands each its own. */
    static boolean selectsNotes(short filter) {
        return filter == EvFilt.VNODE || filter == EvFilt.PROC;
    }

    /**
     * The union of a shared knote's fflags, except that READ and WRITE take NOTE_READINESS and
     * NOTE_LOWAT from the first subscriber: counted or readiness-only is its choice, like its
     * EV_CLEAR, and so is the low-water mark, whose value (data) is its own. Other filters use
     * those bits for notes of their own (NOTE_EXEC, NOTE_DELETE): left alone.
     */
    static int firstChoosesMode(short filter, int union, int firstFflags) {
        if (filter != EvFilt.READ && filter != EvFilt.WRITE) return union;
        int mode = Note.READINESS | Note.LOWAT;
        return (union & ~mode) | (firstFflags & mode);
    }

    /** True where data counts occurrences (expirations, deliveries, triggers) and so adds up. */
    static boolean countsAdd(short filter) {
        return filter == EvFilt.TIMER || filter == EvFilt.SIGNAL || filter == EvFilt.USER;
    }

    /**
     * True when nothing can follow this event: onNext, then onComplete. {@code fflags} are the
     * knote's: a readiness knote ends at EOF whatever is left, since its EV_CLEAR brings no
     * event once the reader has taken the rest.
     */
    static boolean isFinal(KEvent ev, int fflags) {
        if (ev.has(Ev.ONESHOT)) return true;
        return switch (ev.filter()) {
            case EvFilt.PROC -> ev.hasNote(Note.EXIT) || ev.has(Ev.EOF);
            case EvFilt.VNODE -> ev.hasNote(Note.DELETE | Note.REVOKE);
            case EvFilt.READ, EvFilt.WRITE -> ev.has(Ev.EOF) && (ev.data() == 0 || Note.readinessOnly(fflags));
            default -> false;
        };
    }

    /**
     * The fflags for a change on an existing knote: kqueue overwrites the saved fflags with
     * every change, so each one carries the registration's fflags again; a user event
     * carries a copy of its handle's state instead.
     */
    static int changeFflags(short filter, int registered, UserSource user) {
        if (user != null) return user.changeFflags();
        return filter == EvFilt.USER ? Note.FFNOP : registered;
    }
}
