package io.reactivekq.kqueue;

import java.util.HashMap;
import java.util.Map;

/**
 * The one errno table of the project: symbolic name, description, and the number each
 * supported OS uses for it. Numbers above 34 differ between Linux and the BSDs, so code
 * never compares raw numbers across platforms; it compares {@code Errno} constants.
 */
public enum Errno {
    EPERM(1, 1, 1, "Operation not permitted"),
    ENOENT(2, 2, 2, "No such file, directory or knote"),
    ESRCH(3, 3, 3, "No such process"),
    EINTR(4, 4, 4, "Interrupted system call"),
    EIO(5, 5, 5, "Input/output error"),
    ENXIO(6, 6, 6, "No such device or address"),
    E2BIG(7, 7, 7, "Argument list too long"),
    EBADF(9, 9, 9, "Bad file descriptor"),
    ECHILD(10, 10, 10, "No child processes"),
    EAGAIN(11, 35, 35, "Resource temporarily unavailable"),
    ENOMEM(12, 12, 12, "Cannot allocate memory"),
    EACCES(13, 13, 13, "Permission denied"),
    EFAULT(14, 14, 14, "Bad address"),
    EBUSY(16, 16, 16, "Device or resource busy"),
    EEXIST(17, 17, 17, "File exists"),
    ENODEV(19, 19, 19, "No such device"),
    ENOTDIR(20, 20, 20, "Not a directory"),
    EISDIR(21, 21, 21, "Is a directory"),
    EINVAL(22, 22, 22, "Invalid argument"),
    ENFILE(23, 23, 23, "Too many open files in system"),
    EMFILE(24, 24, 24, "Too many open files"),
    ENOTTY(25, 25, 25, "Inappropriate ioctl for device"),
    EFBIG(27, 27, 27, "File too large"),
    ENOSPC(28, 28, 28, "No space left on device"),
    ESPIPE(29, 29, 29, "Illegal seek"),
    EROFS(30, 30, 30, "Read-only file system"),
    EPIPE(32, 32, 32, "Broken pipe"),
    ERANGE(34, 34, 34, "Result too large"),
    EDEADLK(35, 11, 11, "Resource deadlock avoided"),
    ENAMETOOLONG(36, 63, 63, "File name too long"),
    ENOSYS(38, 78, 78, "Function not implemented"),
    ELOOP(40, 62, 62, "Too many levels of symbolic links"),
    EOVERFLOW(75, 84, 84, "Value too large for defined data type"),
    ENOTSOCK(88, 38, 38, "Socket operation on non-socket"),
    EMSGSIZE(90, 40, 40, "Message too long"),
    ENOTSUP(95, 45, 45, "Operation not supported"),
    EADDRINUSE(98, 48, 48, "Address already in use"),
    ECONNRESET(104, 54, 54, "Connection reset by peer"),
    ENOBUFS(105, 55, 55, "No buffer space available"),
    ENOTCONN(107, 57, 57, "Socket is not connected"),
    ETIMEDOUT(110, 60, 60, "Connection timed out"),
    ECONNREFUSED(111, 61, 61, "Connection refused"),
    EALREADY(114, 37, 37, "Operation already in progress"),
    EINPROGRESS(115, 36, 36, "Operation now in progress"),
    ECANCELED(125, 89, 85, "Operation canceled");

    private final int linux;
    private final int macos;
    private final int freebsd;
    private final String description;

    private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

    static {
        for (Errno e : values()) {
            BY_NUMBER.putIfAbsent(e.number(), e);
        }
    }

    Errno(int linux, int macos, int freebsd, String description) {
        this.linux = linux;
        this.macos = macos;
        this.freebsd = freebsd;
        this.description = description;
    }

    /** The number of this errno on the running OS. */
    public int number() {
        return number(Os.current());
    }

    /** The number of this errno on {@code os} (Linux numbering for unknown systems). */
    public int number(Os os) {
        return switch (os) {
            case MACOS -> macos;
            case FREEBSD -> freebsd;
            default -> linux;
        };
    }

    /** A short human description, as strerror would give. */
    public String description() {
        return description;
    }

    /** The constant for a number of the running OS, or {@code null} when the table lacks it. */
    public static Errno of(int number) {
        return BY_NUMBER.get(number);
    }

    /** The symbolic name of a number of the running OS, e.g. {@code "EBADF"}, or {@code "errno 123"}. */
    public static String nameOf(int number) {
        Errno e = of(number);
        return e == null ? "errno " + number : e.name();
    }
}
