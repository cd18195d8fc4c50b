package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.InotifyBuffer;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.NativeArena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kqueue's one inotify instance. Watches are per inode: registrations on the same inode
 * share the kernel watch (inotify hands back the same descriptor) and are told apart by their
 * listener. An event-queue overflow is passed to every listener, since any of them may have
 * missed a change.
 */
final class Inotify implements EpollSource {
    /** A hint bit that never occurs in epoll masks: the activation came from inotify. */
    static final long FROM_INOTIFY = 1L << 40;

    /** A knote's view of its watch. */
    interface Listener {
        /** The IN_* bits this listener wants. */
        int inotifyMask();

        /** One record for the watched inode; {@code name} is the entry for directory watches. */
        void onInotify(LinuxKQueue kq, int mask, String name);

        /** The kernel queue overflowed: changes may have been lost. */
        void onOverflow(LinuxKQueue kq);
    }

    /** One kernel watch and the listeners sharing it. */
    static final class Watch {
        final int wd;
        final List<Listener> listeners = new ArrayList<>(2);
        int mask;

        Watch(int wd) {
            this.wd = wd;
        }
    }

    private final int fd;
    private final InotifyBuffer buffer;
    private final Map<Integer, Watch> byWd = new HashMap<>();

    private Inotify(int fd, InotifyBuffer buffer) {
        this.fd = fd;
        this.buffer = buffer;
    }

    static Inotify open(NativeArena arena) {
        int fd = LinuxSys.inotifyInit();
        if (fd < 0) {
            throw new KqException(-fd, "inotify_init1", -1, fd == -Errno.EMFILE.number()
                ? "out of inotify instances; raise fs.inotify.max_user_instances" : null);
        }
        return new Inotify(fd, new InotifyBuffer(arena));
    }

    @Override
    public int fd() {
        return fd;
    }

    /** Watches the inode {@code path} names for {@code l}; throws KqException (ENOSPC names the sysctl). */
    Watch add(String path, Listener l, long ident) {
        int wd = LinuxSys.inotifyAddWatch(fd, path, l.inotifyMask() | LinuxSys.IN_MASK_ADD);
        if (wd < 0) {
            throw new KqException(-wd, "kevent EV_ADD: inotify_add_watch " + path, ident,
                wd == -Errno.ENOSPC.number() ? Filters.hint(-wd) : null);
        }
        Watch w = byWd.computeIfAbsent(wd, Watch::new);
        w.listeners.add(l);
        w.mask |= l.inotifyMask();
        return w;
    }

    /** Widens a listener's watch to its current {@link Listener#inotifyMask()} (the kernel only ever adds bits). */
    void widen(Watch w, String path, Listener l, long ident) {
        if ((w.mask & l.inotifyMask()) == l.inotifyMask()) return;
        int wd = LinuxSys.inotifyAddWatch(fd, path, l.inotifyMask() | LinuxSys.IN_MASK_ADD);
        if (wd < 0) throw new KqException(-wd, "kevent EV_ADD: inotify_add_watch " + path, ident);
        w.mask |= l.inotifyMask();
    }

    /** Removes a listener; the kernel watch goes with the last one. */
    void remove(Watch w, Listener l) {
        w.listeners.remove(l);
        if (w.listeners.isEmpty() && byWd.remove(w.wd) != null) LinuxSys.inotifyRmWatch(fd, w.wd);
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        while (LinuxSys.inotifyRead(fd, buffer) > 0) {
            while (buffer.next()) {
                int mask = buffer.mask();
                if ((mask & LinuxSys.IN_Q_OVERFLOW) != 0) {
                    for (Watch w : List.copyOf(byWd.values())) {
                        for (Listener l : List.copyOf(w.listeners)) l.onOverflow(kq);
                    }
                    continue;
                }
                Watch w = byWd.get(buffer.wd());
                if (w == null) continue;
                if ((mask & LinuxSys.IN_IGNORED) != 0) byWd.remove(w.wd); // the kernel dropped the watch
                String name = buffer.name();
                for (Listener l : List.copyOf(w.listeners)) {
                    if ((l.inotifyMask() & mask) != 0 || (mask & LinuxSys.IN_IGNORED) != 0) {
                        l.onInotify(kq, mask, name);
                    }
                }
            }
        }
    }

    void close() {
        byWd.clear();
        LinuxSys.close(fd);
    }
}
