package io.reactivekq.kqueue;

/** Portable {@code EV_*} flags (the same values on macOS and FreeBSD). */
public final class Ev {
    private Ev() {}

    /** Add the knote, or modify it when it exists. */
    public static final int ADD = 0x0001;
    /** Delete the knote. */
    public static final int DELETE = 0x0002;
    /** Re-arm a disabled knote; an active one is returned at the next scan. */
    public static final int ENABLE = 0x0004;
    /** Stop returning the knote without deleting it; activity is remembered. */
    public static final int DISABLE = 0x0008;
    /** Delete the knote after its first delivery. */
    public static final int ONESHOT = 0x0010;
    /** Reset the knote's state after each delivery (edge-triggered). */
    public static final int CLEAR = 0x0020;
    /** Report the outcome of each change as an {@code EV_ERROR} event, data 0 on success. */
    public static final int RECEIPT = 0x0040;
    /** Disable the knote after each delivery; {@link #ENABLE} re-arms it. */
    public static final int DISPATCH = 0x0080;
    /** Out: the change failed (data holds errno) or, with RECEIPT, its receipt. */
    public static final int ERROR = 0x4000;
    /** Out: end of file or hang-up; fflags may hold the socket error. */
    public static final int EOF = 0x8000;

    /** Flags a caller may pass in a change. */
    public static final int INPUT_MASK = ADD | DELETE | ENABLE | DISABLE | ONESHOT | CLEAR | RECEIPT | DISPATCH;

    private static final int[] BITS = {ADD, DELETE, ENABLE, DISABLE, ONESHOT, CLEAR, RECEIPT, DISPATCH, ERROR, EOF};
    private static final String[] NAMES = {"EV_ADD", "EV_DELETE", "EV_ENABLE", "EV_DISABLE", "EV_ONESHOT",
        "EV_CLEAR", "EV_RECEIPT", "EV_DISPATCH", "EV_ERROR", "EV_EOF"};

    /** The flags as {@code EV_ADD|EV_CLEAR}, unknown bits in hex, {@code 0} for none. */
    public static String names(int flags) {
        return Note.join(flags, BITS, NAMES);
    }
}
