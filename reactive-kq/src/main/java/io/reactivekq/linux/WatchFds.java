package io.reactivekq.linux;

import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.LinuxSys;

/** The Linux side of {@code io.reactivekq.kqueue.Fd}: fds opened for watching a path. */
public final class WatchFds {
    private WatchFds() {}

    /** open(2) read-only and close-on-exec; a directory opens too. */
    public static int open(String path) {
        int fd = LinuxSys.open(path, LinuxSys.O_RDONLY | LinuxSys.O_CLOEXEC, 0);
        if (fd < 0) throw new KqException(-fd, "open " + path, -1);
        return fd;
    }

    public static void close(int fd) {
        int r = LinuxSys.close(fd);
        if (r < 0) throw new KqException(-r, "close", fd);
    }
}
