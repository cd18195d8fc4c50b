package io.reactivekq.linux;

import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.LinuxSys;
import java.util.ArrayList;
import java.util.List;

/**
 * A kqueue's doorbell for signals: an eventfd that signal-handler threads ring after counting
 * a delivery. Ringing is one write(2), safe from any thread and without the kqueue's lock;
 * the kqueue then activates, under its lock, every SIGNAL knote with deliveries pending.
 */
final class SignalPort implements EpollSource {
    private final int fd;
    private final List<SignalSource.Subscription> subscriptions = new ArrayList<>();
    /** Guarded by this: once closed, the fd number may belong to someone else. */
    private boolean closed;

    private SignalPort(int fd) {
        this.fd = fd;
    }

    static SignalPort open(LinuxKQueue kq) {
        int fd = LinuxSys.eventfd();
        if (fd < 0) throw new KqException(-fd, "kevent EV_ADD EVFILT_SIGNAL: eventfd", -1);
        SignalPort port = new SignalPort(fd);
        try {
            kq.addSource(port, LinuxSys.EPOLLIN);
        } catch (KqException e) {
            LinuxSys.close(fd);
            throw e;
        }
        return port;
    }

    /** Called from signal-handler threads. */
    synchronized void wake() {
        if (!closed) LinuxSys.writeCounter(fd, 1);
    }

    void add(SignalSource.Subscription s) {
        subscriptions.add(s);
    }

    /** Removes a subscription; true when none is left. */
    boolean remove(SignalSource.Subscription s) {
        subscriptions.remove(s);
        return subscriptions.isEmpty();
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        LinuxSys.readCounter(fd);
        for (SignalSource.Subscription s : List.copyOf(subscriptions)) {
            if (s.pending.get() > 0) kq.activate(s.knote, 1);
        }
    }

    void close(LinuxKQueue kq) {
        kq.removeSource(this);
        synchronized (this) {
            closed = true;
            LinuxSys.close(fd);
        }
    }
}
