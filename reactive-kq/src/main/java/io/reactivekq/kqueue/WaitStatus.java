package io.reactivekq.kqueue;

/**
 * The wait status an {@code EVFILT_PROC} {@code NOTE_EXIT} event carries in {@code data}, as
 * waitpid(2) encodes it on Linux and the BSDs alike: exit code in bits 8-15, terminating
 * signal in bits 0-6, bit 7 for a core dump.
 *
 * <p>When the kqueue could not learn the status (the process was not a child of this
 * process, see docs/filters-linux.md), the event has {@code data = }{@link #UNAVAILABLE} and
 * {@code ext0} holds the errno that explains why (ECHILD); {@link #available()} is then false
 * and neither {@link #exited()} nor {@link #signaled()} holds.
 *
 * @param available whether {@code raw} is a real wait status
 * @param raw       the wait status, or {@link #UNAVAILABLE}
 */
public record WaitStatus(boolean available, long raw) {

    /** {@code data} of a NOTE_EXIT event whose status is unknown: no wait status is negative. */
    public static final long UNAVAILABLE = -1L;

    /** The status of a NOTE_EXIT event. */
    public static WaitStatus of(KEvent exit) {
        boolean known = exit.ext0() == 0 && exit.data() >= 0;
        return new WaitStatus(known, known ? exit.data() : UNAVAILABLE);
    }

    /** A raw wait status as waitpid returns it. */
    public static WaitStatus of(int status) {
        return new WaitStatus(true, status & 0xffff);
    }

    /** The process called exit (or returned from main). */
    public boolean exited() {
        return available && (raw & 0x7f) == 0;
    }

    /** The exit code (0-255), or -1 when the process did not exit normally or the status is unknown. */
    public int exitCode() {
        return exited() ? (int) (raw >> 8) & 0xff : -1;
    }

    /** The process was terminated by a signal. */
    public boolean signaled() {
        long sig = raw & 0x7f;
        return available && sig != 0 && sig != 0x7f;
    }

    /** The terminating signal (the running OS's number), or -1 when not {@link #signaled()}. */
    public int termSignal() {
        return signaled() ? (int) (raw & 0x7f) : -1;
    }

    /** The terminating signal produced a core dump. */
    public boolean coreDumped() {
        return signaled() && (raw & 0x80) != 0;
    }

    @Override
    public String toString() {
        if (!available) return "WaitStatus{unavailable}";
        if (exited()) return "WaitStatus{exited " + exitCode() + "}";
        if (signaled()) return "WaitStatus{signal " + termSignal() + (coreDumped() ? ", core dumped}" : "}");
        return "WaitStatus{0x" + Long.toHexString(raw) + "}";
    }
}
