package io.reactivekq.bsd;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.Os;

/**
 * Translation between the portable constants of {@code io.reactivekq.kqueue} (FreeBSD's
 * numbering) and what the native kqueue of an OS uses. Flags (EV_*) are the same everywhere;
 * filters differ only in EVFILT_USER, notes in the timer units.
 */
final class BsdConstants {
    private BsdConstants() {}

    static final short MACOS_EVFILT_USER = -10;

    // macOS timer notes: milliseconds is the default (no bit).
    static final int MACOS_NOTE_SECONDS = 0x1;
    static final int MACOS_NOTE_USECONDS = 0x2;
    static final int MACOS_NOTE_NSECONDS = 0x4;
    static final int MACOS_NOTE_ABSOLUTE = 0x8;
    static final int MACOS_NOTE_LEEWAY = 0x10;

    static short filterToNative(Os os, short filter) {
        return os == Os.MACOS && filter == EvFilt.USER ? MACOS_EVFILT_USER : filter;
    }

    static short filterFromNative(Os os, short filter) {
        return os == Os.MACOS && filter == MACOS_EVFILT_USER ? EvFilt.USER : filter;
    }

    /**
     * Portable fflags to native; returns -1 (as an unsigned impossibility marker is not
     * available, callers check {@link #unsupportedNotes}) only via that method.
     */
    static int fflagsToNative(Os os, short filter, int fflags) {
        // The kernel counts bytes at no cost and has no such note: it is ours alone.
        if (filter == EvFilt.READ || filter == EvFilt.WRITE) return fflags & ~Note.READINESS;
        if (filter != EvFilt.TIMER) return fflags;
        if (os == Os.MACOS) {
            int out = 0;
            if ((fflags & Note.SECONDS) != 0) out |= MACOS_NOTE_SECONDS;
            if ((fflags & Note.USECONDS) != 0) out |= MACOS_NOTE_USECONDS;
            if ((fflags & Note.NSECONDS) != 0) out |= MACOS_NOTE_NSECONDS;
            if ((fflags & Note.ABSOLUTE) != 0) out |= MACOS_NOTE_ABSOLUTE;
            if ((fflags & Note.LEEWAY) != 0) out |= MACOS_NOTE_LEEWAY;
            return out; // NOTE_MSECONDS is macOS's default unit: no bit
        }
        return fflags & ~Note.LEEWAY; // FreeBSD has no leeway: the timer fires on time
    }

    static int fflagsFromNative(Os os, short filter, int fflags) {
        if (filter != EvFilt.TIMER || os != Os.MACOS) return fflags;
        int out = 0;
        if ((fflags & MACOS_NOTE_SECONDS) != 0) out |= Note.SECONDS;
        if ((fflags & MACOS_NOTE_USECONDS) != 0) out |= Note.USECONDS;
        if ((fflags & MACOS_NOTE_NSECONDS) != 0) out |= Note.NSECONDS;
        if ((fflags & MACOS_NOTE_ABSOLUTE) != 0) out |= Note.ABSOLUTE;
        if ((fflags & MACOS_NOTE_LEEWAY) != 0) out |= Note.LEEWAY;
        return out;
    }

    /**
     * Notes a change asks for that the OS cannot do, as an errno, or 0: macOS has no
     * NOTE_TRACK (removed from its kernel) and no millisecond bit.
     */
    static int unsupportedNotes(Os os, short filter, int fflags) {
        if (os == Os.MACOS && filter == EvFilt.PROC && (fflags & Note.TRACK) != 0) return Errno.ENOTSUP.number(os);
        return 0;
    }
}
