package io.reactivekq.linux;

import io.reactivekq.sys.LinuxSys;

/**
 * rmdir(2) of a directory that our fd keeps open tells the directory's own inotify watch
 * nothing until the last fd closes, unlike unlink(2) of a file. So a VNODE knote on a
 * directory that wants NOTE_DELETE also listens on the directory's parent: when a
 * subdirectory leaves it, the knote checks whether its own link count has dropped to 0.
 */
final class VnodeParent implements Inotify.Listener {
    /** Hint bit: an entry left the parent directory; maybe ours. */
    static final long ENTRY_GONE = 1L << 36;

    private final Knote knote;
    private final String path;
    private Inotify.Watch watch;

    private VnodeParent(Knote knote, String path) {
        this.knote = knote;
        this.path = path;
    }

    /** Watches the parent of the directory behind {@code fd}; null when it has none (already removed, or /). */
    static VnodeParent watch(LinuxKQueue kq, Knote kn, int fd) {
        VnodeParent p = new VnodeParent(kn, "/proc/self/fd/" + fd + "/..");
        try {
            p.watch = kq.inotify().add(p.path, p, kn.ident);
        } catch (io.reactivekq.kqueue.KqException e) {
            if (e.errnoConstant() == io.reactivekq.kqueue.Errno.ENOSPC) throw e;
            return null;
        }
        return p;
    }

    @Override
    public int inotifyMask() {
        // A directory leaves by rmdir (IN_DELETE) or by being replaced by a rename (IN_MOVED_TO).
        return LinuxSys.IN_DELETE | LinuxSys.IN_MOVED_TO;
    }

    @Override
    public void onInotify(LinuxKQueue kq, int mask, String name) {
        if ((mask & LinuxSys.IN_ISDIR) != 0) kq.activate(knote, ENTRY_GONE);
    }

    @Override
    public void onOverflow(LinuxKQueue kq) {
        // The knote's own watch receives the overflow too and reports it.
    }

    void close(LinuxKQueue kq) {
        kq.inotify().remove(watch, this);
    }
}
