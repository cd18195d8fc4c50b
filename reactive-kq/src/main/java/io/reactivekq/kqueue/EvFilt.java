package io.reactivekq.kqueue;

/**
 * Portable filter numbers. They equal FreeBSD's; the native macOS backend translates the
 * few that differ there (USER).
 */
public final class EvFilt {
    private EvFilt() {}

    public static final short READ = -1;
    public static final short WRITE = -2;
    public static final short AIO = -3;
    public static final short VNODE = -4;
    public static final short PROC = -5;
    public static final short SIGNAL = -6;
    public static final short TIMER = -7;
    public static final short USER = -11;

    /** The symbolic name of a filter, e.g. {@code "EVFILT_READ"}. */
    public static String name(short filter) {
        return switch (filter) {
            case READ -> "EVFILT_READ";
            case WRITE -> "EVFILT_WRITE";
            case AIO -> "EVFILT_AIO";
            case VNODE -> "EVFILT_VNODE";
            case PROC -> "EVFILT_PROC";
            case SIGNAL -> "EVFILT_SIGNAL";
            case TIMER -> "EVFILT_TIMER";
            case USER -> "EVFILT_USER";
            default -> "EVFILT(" + filter + ")";
        };
    }
}
