package io.reactivekq.linux;

import io.reactivekq.sys.LinuxSys;

/**
 * The pidfd of one PROC knote. Edge-triggered in epoll, it fires when its process exits and,
 * on Linux 6.15+, again (EPOLLHUP) when the process is reaped; the exit status is read
 * without reaping, so the process's parent (the JDK's reaper for ProcessBuilder children)
 * still collects it.
 */
final class PidSource implements EpollSource {
    /** Hint of an exit seen on the pidfd. */
    static final long EXITED = 1L << 61;

    final int fd;
    final Knote knote;
    /** The process was a child of this JVM when the knote was registered. */
    final boolean child;
    /** The pidfd reported the exit. */
    boolean exited;
    /** The wait status once known; {@link io.reactivekq.kqueue.WaitStatus#UNAVAILABLE} when unobtainable. */
    long status;
    /** The errno explaining an unavailable status (0 when the status is real). */
    int statusErrno;
    boolean statusKnown;
    /** Retries left while the status is in flight (being reaped, or not yet reported by the connector). */
    int retries;

    PidSource(int fd, Knote knote, boolean child) {
        this.fd = fd;
        this.knote = knote;
        this.child = child;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        kq.activate(knote, EXITED);
    }

    /** The process has exited by now (the pidfd polls readable). */
    boolean pollExited() {
        int r = LinuxSys.pollNow(fd, LinuxSys.POLLIN);
        return r > 0 && (r & LinuxSys.POLLIN) != 0;
    }

    void close(LinuxKQueue kq) {
        kq.timers().cancel((ScheduledKnote) knote); // a pending retry, if any
        kq.removeSource(this);
        LinuxSys.close(fd);
    }
}
