package io.reactivekq.kqueue;

/**
 * A failed kqueue operation: the errno, the call that failed and the ident it concerned.
 * Unchecked, so it can travel through Reactor's {@code onError} unchanged.
 */
public final class KqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;
    private final long ident;

    /**
     * @param errno the OS errno number (of the running OS)
     * @param call  what was being done, e.g. {@code "kevent EV_ADD EVFILT_READ"}
     * @param ident the ident (fd, pid, signal, id) concerned
     */
    public KqException(int errno, String call, long ident) {
        this(errno, call, ident, null);
    }

    /** As {@link #KqException(int, String, long)}, with a hint saying what to do about it. */
    public KqException(int errno, String call, long ident, String hint) {
        super(format(errno, call, ident, hint));
        this.errno = errno;
        this.call = call;
        this.ident = ident;
    }

    /** As {@link #KqException(int, String, long, String)} for a table constant. */
    public KqException(Errno errno, String call, long ident, String hint) {
        this(errno.number(), call, ident, hint);
    }

    private static String format(int errno, String call, long ident, String hint) {
        Errno e = Errno.of(errno);
        String name = e == null ? "errno " + errno : e.name();
        String text = e == null ? "" : " (" + e.description() + ")";
        return name + text + ": " + call + ", ident " + ident + (hint == null ? "" : ": " + hint);
    }

    /** The errno number of the running OS. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, e.g. {@code "ESRCH"}. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /** The table constant, or {@code null} when the number is not in the table. */
    public Errno errnoConstant() {
        return Errno.of(errno);
    }

    /** The call that failed. */
    public String call() {
        return call;
    }

    /** The ident concerned. */
    public long ident() {
        return ident;
    }
}
