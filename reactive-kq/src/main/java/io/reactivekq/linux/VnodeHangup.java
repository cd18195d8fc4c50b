package io.reactivekq.linux;

import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.LinuxTtySys;

/**
 * NOTE_REVOKE for a terminal: Linux revokes a terminal from the processes holding it by
 * hanging it up (vhangup(2), or the close of a pty's master), which inotify never reports but
 * epoll does, as EPOLLHUP. A duplicate of the knote's fd is watched so that READ/WRITE knotes
 * on the same fd keep their own epoll registration.
 */
final class VnodeHangup implements EpollSource {
    private final int fd;
    private final Knote knote;

    private VnodeHangup(int fd, Knote knote) {
        this.fd = fd;
        this.knote = knote;
    }

    /** Watches a terminal's hang-up, or returns null when epoll cannot watch this device. */
    static VnodeHangup watch(LinuxKQueue kq, Knote kn, int userFd) {
        int dup = LinuxSys.fcntl(userFd, LinuxTtySys.F_DUPFD_CLOEXEC, 0);
        if (dup < 0) return null;
        VnodeHangup h = new VnodeHangup(dup, kn);
        // No event bits: epoll always reports hang-up and error, which is all we want.
        if (kq.epollCtl(LinuxSys.EPOLL_CTL_ADD, dup, LinuxSys.EPOLLET) < 0) {
            LinuxSys.close(dup);
            return null;
        }
        kq.putSource(h);
        return h;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        if ((epollEvents & (LinuxSys.EPOLLHUP | LinuxSys.EPOLLERR)) != 0) kq.activate(knote, VnodeWatch.REVOKED);
    }

    void close(LinuxKQueue kq) {
        kq.removeSource(this);
        LinuxSys.close(fd);
    }
}
