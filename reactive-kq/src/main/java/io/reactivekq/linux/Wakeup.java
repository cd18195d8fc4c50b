package io.reactivekq.linux;

import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.LinuxSys;

/** The eventfd that wakes a thread sleeping in epoll_wait when another thread changes knotes. */
final class Wakeup implements EpollSource {
    private final int fd;
    /** A wake is written and not yet drained: later wakes need no system call. */
    private boolean pending;

    Wakeup() {
        fd = LinuxSys.eventfd();
        if (fd < 0) throw new KqException(-fd, "kqueue: eventfd", -1);
    }

    @Override
    public int fd() {
        return fd;
    }

    void wake() {
        if (pending) return;
        pending = true;
        LinuxSys.writeCounter(fd, 1);
    }

    /**
     * Writes even when a wake is pending. The eventfd is edge-triggered, so one write wakes
     * one sleeper: close() needs one per sleeper (a sleeper woken by close does not drain the
     * counter), and a poll that took a sleeper's edge must produce a new one.
     */
    void wakeAnother() {
        pending = true;
        LinuxSys.writeCounter(fd, 1);
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        LinuxSys.readCounter(fd);
        pending = false;
    }

    void close() {
        LinuxSys.close(fd);
    }
}
