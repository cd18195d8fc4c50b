package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.FileAttrs;

/**
 * EVFILT_VNODE: ident is an fd of a file or directory; fflags select NOTE_DELETE, WRITE,
 * EXTEND, ATTRIB, LINK, RENAME, REVOKE, and report those seen since the last delivery
 * (EV_CLEAR is implied). Backed by the kqueue's inotify instance, one kernel watch per inode
 * whatever the number of knotes on it. NOTE_REVOKE (the file system was unmounted, or a
 * terminal hung up) is final: EV_EOF and EV_ONESHOT, as on BSD.
 */
final class VnodeFilter implements FilterOps {
    private static final String CALL = "kevent EV_ADD EVFILT_VNODE";
    private static final int NOTES = Note.DELETE | Note.WRITE | Note.EXTEND | Note.ATTRIB | Note.LINK | Note.RENAME
        | Note.REVOKE;

    @Override
    public int attach(LinuxKQueue kq, Knote kn) {
        if (kn.ident < 0 || kn.ident > Integer.MAX_VALUE) throw new KqException(Errno.EBADF, CALL, kn.ident, "not an fd");
        int fd = (int) kn.ident;
        FileAttrs attrs = new FileAttrs();
        int r = attrs.read(fd);
        if (r < 0) throw new KqException(-r, CALL, kn.ident);
        kn.flags |= Ev.CLEAR;
        VnodeWatch w = new VnodeWatch(kn, fd, attrs);
        w.watch = kq.inotify().add(w.path, w, kn.ident);
        kn.source = w;
        try {
            if (w.terminal) w.hangup = VnodeHangup.watch(kq, kn, fd);
            watchParent(kq, kn, w);
        } catch (KqException e) {
            detach(kq, kn);
            throw e;
        }
        return 0;
    }

    @Override
    public void detach(LinuxKQueue kq, Knote kn) {
        VnodeWatch w = (VnodeWatch) kn.source;
        kq.inotify().remove(w.watch, w);
        if (w.hangup != null) w.hangup.close(kq);
        if (w.parent != null) w.parent.close(kq);
        w.parent = null;
    }

    /** A directory knote with NOTE_DELETE also watches the directory's current parent (see {@link VnodeParent}). */
    private static void watchParent(LinuxKQueue kq, Knote kn, VnodeWatch w) {
        if (w.parent != null) w.parent.close(kq);
        w.parent = w.directory && (kn.sfflags & Note.DELETE) != 0 ? VnodeParent.watch(kq, kn, w.fd) : null;
    }

    @Override
    public int modify(LinuxKQueue kq, Knote kn, KEvent change) {
        int old = kn.sfflags;
        kn.sfflags = change.fflags();
        VnodeWatch w = (VnodeWatch) kn.source;
        try {
            kq.inotify().widen(w.watch, w.path, w, kn.ident);
            watchParent(kq, kn, w);
        } catch (KqException e) {
            kn.sfflags = old;
            throw e;
        }
        kn.fflags &= kn.sfflags;
        return 0;
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        if (hint == 0) return kn.fflags != 0;
        VnodeWatch w = (VnodeWatch) kn.source;
        int notes;
        if ((hint & VnodeWatch.REVOKED) != 0) {
            notes = Note.REVOKE;
        } else if ((hint & VnodeParent.ENTRY_GONE) != 0) {
            notes = w.notesAfterParentChange();
        } else if ((hint & VnodeWatch.OVERFLOW) != 0) {
            notes = w.notesAfterOverflow();
        } else {
            notes = w.notesFor((int) hint, (hint & VnodeWatch.NAMED) != 0);
        }
        if ((notes & Note.RENAME) != 0 && w.parent != null) {
            try {
                watchParent(kq, kn, w); // the directory may have a new parent
            } catch (KqException e) {
                w.parent = null; // out of watches: its rmdir will go unseen, but the scan must not fail
            }
        }
        kn.fflags |= notes & kn.sfflags & NOTES;
        if ((notes & Note.REVOKE) != 0) {
            kn.flags |= Ev.EOF;
            kn.flags |= Ev.ONESHOT;
            return true;
        }
        return kn.fflags != 0;
    }
}
