package io.reactivekq.kqueue;

import io.reactivekq.linux.WatchFds;
import java.nio.file.Path;

/**
 * File descriptors for registrations whose ident is an fd the caller does not already hold,
 * such as a VNODE watch on a path. Every fd opened here is close-on-exec; the caller owns it
 * and gives it back with {@link #close(int)}.
 */
public final class Fd {
    private Fd() {}

    /**
     * Opens {@code path} read-only and close-on-exec, for watching (a directory opens too).
     *
     * @throws KqException the errno of open(2) (ENOENT, EACCES...), or ENOSYS off Linux for now
     */
    public static int openForWatch(Path path) {
        if (Os.current() != Os.LINUX) {
            throw new KqException(Errno.ENOSYS, "open " + path, -1, "path watches need the Linux backend for now; pass an fd");
        }
        return WatchFds.open(path.toAbsolutePath().toString());
    }

    /** Closes an fd this class opened; closing twice is the caller's bug and reports EBADF. */
    public static void close(int fd) {
        WatchFds.close(fd);
    }
}
