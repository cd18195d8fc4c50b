package io.reactivekq.kqueue;

/**
 * Portable {@code NOTE_*} values for the filters' {@code fflags}. Values follow FreeBSD; a
 * native backend translates the ones its OS numbers differently.
 */
public final class Note {
    private Note() {}

    // EVFILT_READ / EVFILT_WRITE
    /** Low-water mark in {@code data}: fire only when at least that many bytes are ready. */
    public static final int LOWAT = 0x0001;
    /**
     * reactive-kq's own note (BSD has none): the event says the fd is ready without counting
     * bytes or free space. On Linux each count is a system call (FIONREAD, and SIOCOUTQ with
     * SO_SNDBUF for sockets) that a readiness-only reader does not need; data is then 1 while
     * ready, and for READ the count at EV_EOF, so that the bytes left stay visible. Ignored
     * with {@link #LOWAT}, which needs the count. A native backend keeps it from the kernel,
     * which counts for free: data is the count there.
     */
    public static final int READINESS = 0x2000_0000;

    /** True when READ or WRITE fflags ask for readiness alone: {@link #READINESS} without {@link #LOWAT}. */
    public static boolean readinessOnly(int fflags) {
        return (fflags & (READINESS | LOWAT)) == READINESS;
    }

    // EVFILT_USER
    /** Trigger the user event. */
    public static final int TRIGGER = 0x01000000;
    /** Leave the user fflags unchanged. */
    public static final int FFNOP = 0x00000000;
    /** AND the given fflags into the user fflags. */
    public static final int FFAND = 0x40000000;
    /** OR the given fflags into the user fflags. */
    public static final int FFOR = 0x80000000;
    /** Copy the given fflags over the user fflags. */
    public static final int FFCOPY = 0xc0000000;
    /** The bits that select the fflags operation. */
    public static final int FFCTRLMASK = 0xc0000000;
    /** The bits that hold user-defined fflags. */
    public static final int FFLAGSMASK = 0x00ffffff;

    // EVFILT_VNODE
    public static final int DELETE = 0x0001;
    public static final int WRITE = 0x0002;
    public static final int EXTEND = 0x0004;
    public static final int ATTRIB = 0x0008;
    public static final int LINK = 0x0010;
    public static final int RENAME = 0x0020;
    public static final int REVOKE = 0x0040;

    // EVFILT_PROC
    public static final int EXIT = 0x80000000;
    public static final int FORK = 0x40000000;
    public static final int EXEC = 0x20000000;
    public static final int TRACK = 0x00000001;
    public static final int TRACKERR = 0x00000002;
    public static final int CHILD = 0x00000004;
    /** Out with NOTE_CHILD: the parent pid sits in these bits of fflags' companion data. */
    public static final int PDATAMASK = 0x000fffff;

    // EVFILT_TIMER
    public static final int SECONDS = 0x0001;
    public static final int MSECONDS = 0x0002;
    public static final int USECONDS = 0x0004;
    public static final int NSECONDS = 0x0008;
    /** {@code data} is an absolute wall-clock deadline (epoch) in the chosen unit. */
    public static final int ABSOLUTE = 0x0010;
    /** {@code ext1} holds a leeway in nanoseconds: the timer may fire that much late. */
    public static final int LEEWAY = 0x0020;
    /** The unit bits of a timer. */
    public static final int TIMER_UNIT_MASK = SECONDS | MSECONDS | USECONDS | NSECONDS;

    /** The fflags of an event of {@code filter}, by their note names. */
    public static String names(short filter, int fflags) {
        return switch (filter) {
            case EvFilt.USER -> userNames(fflags);
            case EvFilt.VNODE -> join(fflags, VNODE_BITS, VNODE_NAMES);
            case EvFilt.PROC -> join(fflags, PROC_BITS, PROC_NAMES);
            case EvFilt.TIMER -> join(fflags, TIMER_BITS, TIMER_NAMES);
            case EvFilt.READ, EvFilt.WRITE -> fflags == 0 ? "0" : "0x" + Integer.toHexString(fflags);
            default -> fflags == 0 ? "0" : "0x" + Integer.toHexString(fflags);
        };
    }

    private static final int[] VNODE_BITS = {DELETE, WRITE, EXTEND, ATTRIB, LINK, RENAME, REVOKE};
    private static final String[] VNODE_NAMES = {"NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB",
        "NOTE_LINK", "NOTE_RENAME", "NOTE_REVOKE"};
    private static final int[] PROC_BITS = {EXIT, FORK, EXEC, TRACK, TRACKERR, CHILD};
    private static final String[] PROC_NAMES = {"NOTE_EXIT", "NOTE_FORK", "NOTE_EXEC", "NOTE_TRACK",
        "NOTE_TRACKERR", "NOTE_CHILD"};
    private static final int[] TIMER_BITS = {SECONDS, MSECONDS, USECONDS, NSECONDS, ABSOLUTE, LEEWAY};
    private static final String[] TIMER_NAMES = {"NOTE_SECONDS", "NOTE_MSECONDS", "NOTE_USECONDS",
        "NOTE_NSECONDS", "NOTE_ABSOLUTE", "NOTE_LEEWAY"};

    private static String userNames(int fflags) {
        if (fflags == 0) return "0";
        StringBuilder sb = new StringBuilder();
        if ((fflags & TRIGGER) != 0) sb.append("NOTE_TRIGGER");
        String ctrl = switch (fflags & FFCTRLMASK) {
            case FFAND -> "NOTE_FFAND";
            case FFOR -> "NOTE_FFOR";
            case FFCOPY -> "NOTE_FFCOPY";
            default -> null;
        };
        if (ctrl != null) sb.append(sb.isEmpty() ? "" : "|").append(ctrl);
        int user = fflags & FFLAGSMASK;
        if (user != 0 || sb.isEmpty()) sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(user));
        return sb.toString();
    }

    static String join(int value, int[] bits, String[] names) {
        if (value == 0) return "0";
        StringBuilder sb = new StringBuilder();
        int rest = value;
        for (int i = 0; i < bits.length; i++) {
            if ((value & bits[i]) != 0) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }
}
