package io.reactivekq.linux;

import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.EpollEvents;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.NativeArena;

/**
 * A second epoll instance, nested in the kqueue's own, that holds the WRITE interest of fds
 * READ watches too. epoll keeps one registration per fd and, edge-triggered, reports the whole
 * ready mask on any wakeup: with IN and OUT in one registration, arriving data would re-report
 * an EV_CLEAR WRITE knote and freed send space an EV_CLEAR READ knote. Split over two
 * instances, each registration is woken only by its own direction (HUP and ERR reach both).
 */
final class WriteEpoll implements EpollSource {
    private static final int BATCH = 64;

    private final int fd;
    private final EpollEvents events;

    private WriteEpoll(int fd, EpollEvents events) {
        this.fd = fd;
        this.events = events;
    }

    static WriteEpoll open(NativeArena arena) {
        int fd = LinuxSys.epollCreate();
        if (fd < 0) throw new KqException(-fd, "kevent EV_ADD EVFILT_WRITE: epoll_create1", -1);
        return new WriteEpoll(fd, new EpollEvents(arena, BATCH));
    }

    @Override
    public int fd() {
        return fd;
    }

    /** epoll_ctl on this instance for a watched fd; 0 or -errno. */
    int ctl(int op, int target, int epollEvents) {
        return LinuxSys.epollCtl(fd, op, target, epollEvents, target);
    }

    /** The nested instance has ready entries: hand each to its fd's source. */
    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        int n;
        do {
            n = LinuxSys.epollWait(fd, events, 0);
            for (int i = 0; i < n; i++) {
                if (kq.source((int) events.data(i)) instanceof FdSource src) src.onWriteEpoll(kq, events.events(i));
            }
        } while (n == BATCH);
    }

    void close() {
        LinuxSys.close(fd);
    }
}
