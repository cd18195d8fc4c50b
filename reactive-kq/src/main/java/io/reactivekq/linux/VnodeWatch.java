package io.reactivekq.linux;

import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.FileAttrs;
import io.reactivekq.sys.LinuxSys;

/**
 * One VNODE knote's view of the inotify watch on its fd's inode: turns inotify records into
 * kqueue notes. inotify says "attributes changed" for chmod and for link-count changes
 * alike, and "modified" for any write, so the watch keeps the last link count, owner, mode
 * and size and compares: a link count that moved is NOTE_LINK (NOTE_DELETE when it reached 0
 * while our fd keeps the inode), a size that grew is NOTE_EXTEND.
 */
final class VnodeWatch implements Inotify.Listener {
    /** Hint bit: the record named a directory entry (it is about the entry, not the directory). */
    static final long NAMED = 1L << 39;
    /** Hint bit: the inotify queue overflowed. */
    static final long OVERFLOW = 1L << 38;
    /** Hint bit: the terminal was hung up (see {@link VnodeHangup}). */
    static final long REVOKED = 1L << 37;

    private static final int ENTRY_EVENTS = LinuxSys.IN_CREATE | LinuxSys.IN_DELETE | LinuxSys.IN_MOVED_FROM
        | LinuxSys.IN_MOVED_TO;
    /** Notes an overflow may have hidden (NOTE_DELETE is decided by the link count, REVOKE never hides). */
    private static final int MAYBE_LOST = Note.WRITE | Note.EXTEND | Note.ATTRIB | Note.LINK | Note.RENAME;

    final Knote knote;
    final int fd;
    final boolean directory;
    final String path;
    Inotify.Watch watch;
    /** The hang-up watch of a terminal, or null. */
    VnodeHangup hangup;
    /** The parent-directory watch of a directory knote that wants NOTE_DELETE, or null. */
    VnodeParent parent;
    private final FileAttrs last = new FileAttrs();
    private final FileAttrs now = new FileAttrs();

    final boolean terminal;

    VnodeWatch(Knote knote, int fd, FileAttrs initial) {
        this.knote = knote;
        this.fd = fd;
        this.directory = initial.isDirectory();
        this.terminal = initial.isCharDevice();
        this.path = "/proc/self/fd/" + fd;
        last.read(fd);
    }

    @Override
    public int inotifyMask() {
        int ff = knote.sfflags;
        int m = LinuxSys.IN_UNMOUNT;
        if (directory) {
            if ((ff & (Note.WRITE | Note.LINK)) != 0) m |= ENTRY_EVENTS;
        } else if ((ff & (Note.WRITE | Note.EXTEND)) != 0) {
            m |= LinuxSys.IN_MODIFY;
        }
        if ((ff & (Note.ATTRIB | Note.LINK | Note.DELETE)) != 0) m |= LinuxSys.IN_ATTRIB;
        if ((ff & Note.DELETE) != 0) m |= LinuxSys.IN_DELETE_SELF;
        if ((ff & Note.RENAME) != 0) m |= LinuxSys.IN_MOVE_SELF;
        return m;
    }

    @Override
    public void onInotify(LinuxKQueue kq, int mask, String name) {
        kq.activate(knote, Inotify.FROM_INOTIFY | (name.isEmpty() ? 0 : NAMED) | (mask & 0xffffffffL));
    }

    @Override
    public void onOverflow(LinuxKQueue kq) {
        kq.activate(knote, Inotify.FROM_INOTIFY | OVERFLOW);
    }

    /** The notes one inotify record stands for. */
    int notesFor(int mask, boolean named) {
        if (named) {
            // A directory's entries: added, removed or renamed. Records about an entry's own
            // content or attributes (IN_MODIFY/IN_ATTRIB with a name) are not the directory's.
            if (!directory || (mask & ENTRY_EVENTS) == 0) return 0;
            return (mask & LinuxSys.IN_ISDIR) != 0 ? Note.WRITE | Note.LINK : Note.WRITE;
        }
        int notes = 0;
        if ((mask & LinuxSys.IN_MODIFY) != 0) {
            notes |= Note.WRITE;
            if (now.read(fd) == 0) {
                if (now.size > last.size) notes |= Note.EXTEND;
                last.size = now.size;
            }
        }
        if ((mask & LinuxSys.IN_ATTRIB) != 0 && now.read(fd) == 0) {
            if (now.nlink != last.nlink) notes |= now.nlink == 0 ? Note.DELETE : Note.LINK;
            if (now.nlink == last.nlink || now.ownerOrModeDiffer(last)) notes |= Note.ATTRIB;
            last.nlink = now.nlink;
            last.mode = now.mode;
            last.uid = now.uid;
            last.gid = now.gid;
        }
        if ((mask & LinuxSys.IN_DELETE_SELF) != 0) notes |= Note.DELETE;
        if ((mask & LinuxSys.IN_MOVE_SELF) != 0) notes |= Note.RENAME;
        if ((mask & LinuxSys.IN_UNMOUNT) != 0) notes |= Note.REVOKE;
        return notes;
    }

    /** An entry left the parent directory: NOTE_DELETE if it was ours (our link count is now 0). */
    int notesAfterParentChange() {
        if (now.read(fd) != 0 || now.nlink != 0 || last.nlink == 0) return 0;
        last.nlink = 0;
        return Note.DELETE;
    }

    /** After an overflow: everything that could have happened unseen; NOTE_DELETE only if the last link is gone. */
    int notesAfterOverflow() {
        int notes = directory ? MAYBE_LOST & ~Note.EXTEND : MAYBE_LOST;
        if (now.read(fd) == 0) {
            if (now.nlink == 0 && last.nlink != 0) notes |= Note.DELETE;
            last.nlink = now.nlink;
            last.size = now.size;
            last.mode = now.mode;
            last.uid = now.uid;
            last.gid = now.gid;
        }
        return notes;
    }
}
