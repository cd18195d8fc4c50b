package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.sys.LinuxSys;

/**
 * One user fd watched for READ and WRITE. epoll allows an fd once per instance, so the two
 * knotes of an fd share this source; each keeps its own EOF reporting. While both exist, the
 * WRITE interest moves to the {@link WriteEpoll} so that neither direction's wakeups re-report
 * the other's knote. Regular files (which
 * epoll refuses) are watched through inotify instead: READ compares the offset with the size,
 * WRITE is always ready.
 */
final class FdSource implements EpollSource, Inotify.Listener {
    /**
     * What a WRITE knote asks epoll for: writability, and RDHUP so that a peer that closed
     * shows as HUP together with RDHUP (an EOF) rather than the bare HUP of a socket that
     * is not connected.
     */
    static final int WRITE_INTEREST = LinuxSys.EPOLLOUT | LinuxSys.EPOLLRDHUP;

    final int fd;
    /** A regular file or another object epoll cannot watch. */
    final boolean file;
    final boolean socket;
    final boolean fifo;
    final boolean listening;
    /** Pipe buffer size, for WRITE data on pipes and FIFOs. */
    final int pipeCapacity;
    /** The file's identity when first seen, to notice the fd number being reused. */
    private final long device;
    private final long inode;

    Knote read;
    Knote write;
    /**
     * The last event each knote delivered: a readiness edge (or an unchanged count) is the
     * same event every time, so delivering it again allocates nothing. Kept here, not in the
     * knote, because only fd knotes deliver at such rates and every knote pays for a field.
     */
    KEvent lastRead;
    KEvent lastWrite;
    /** The interest registered in the kqueue's epoll, and in its WriteEpoll. */
    private int epollMask;
    private int writeEpollMask;
    private Inotify.Watch watch;
    /** The watched file was closed behind our back: the knotes are being dropped. */
    private boolean gone;

    /** Sticky hang-up state as epoll reported it. */
    boolean readEof;
    boolean writeEof;
    /** The socket's pending error, read once at EOF (reading SO_ERROR clears it). */
    int socketError;

    private FdSource(int fd, LinuxSys.FileStat st, boolean listening, int pipeCapacity) {
        this.fd = fd;
        this.file = st.isRegular() || st.isDirectory();
        this.socket = st.isSocket();
        this.fifo = st.isFifo();
        this.listening = listening;
        this.pipeCapacity = pipeCapacity;
        this.device = st.device;
        this.inode = st.inode;
    }

    /** The fd's source in {@code kq}, created (and its fd inspected) on first use. */
    static FdSource obtain(LinuxKQueue kq, long ident, String call) {
        if (ident < 0 || ident > Integer.MAX_VALUE) throw new KqException(Errno.EBADF, call, ident, "not an fd");
        int fd = (int) ident;
        if (kq.source(fd) instanceof FdSource existing) {
            if (!existing.lost(kq)) return existing;
            existing.dropKnotes(kq); // the other filter's knote watched a file that is gone
        }
        LinuxSys.FileStat st = new LinuxSys.FileStat();
        int r = LinuxSys.fstat(fd, st);
        if (r < 0) throw new KqException(-r, call, ident);
        boolean socket = st.isSocket();
        boolean listening = socket && LinuxSys.getsockoptInt(fd, LinuxSys.SOL_SOCKET, LinuxSys.SO_ACCEPTCONN) == 1;
        int cap = st.isFifo() ? Math.max(0, LinuxSys.fcntl(fd, LinuxSys.F_GETPIPE_SZ, 0)) : 0;
        FdSource src = new FdSource(fd, st, listening, cap);
        src.notePoll(LinuxSys.pollNow(fd, LinuxSys.POLLIN | LinuxSys.POLLOUT | LinuxSys.POLLRDHUP));
        return src;
    }

    /**
     * Drops {@code kn} and the other knote of its source when the fd was closed without
     * EV_DELETE (and its number perhaps reused): epoll forgets a closed file silently, so
     * those knotes would never fire again. Called before an EV_ADD on an existing knote, which
     * then attaches afresh (or fails with EBADF). Returns whether it dropped them.
     */
    static boolean dropIfStale(LinuxKQueue kq, Knote kn) {
        FdSource s = (FdSource) kn.source;
        if (!s.lost(kq)) return false;
        s.dropKnotes(kq);
        return true;
    }

    private void dropKnotes(LinuxKQueue kq) {
        gone = true; // no epoll changes for a file that is gone: its fd number may be another's now
        Knote r = read;
        Knote w = write;
        if (r != null) kq.drop(r);
        if (w != null) kq.drop(w);
    }

    private boolean lost(LinuxKQueue kq) {
        if (file) {
            LinuxSys.FileStat st = new LinuxSys.FileStat();
            return LinuxSys.fstat(fd, st) < 0 || st.device != device || st.inode != inode;
        }
        // A MOD with the current mask fails (ENOENT, EBADF) once the registered file is closed.
        return epollMask != 0 && kq.epollCtl(LinuxSys.EPOLL_CTL_MOD, fd, epollMask | LinuxSys.EPOLLET) < 0;
    }

    /** Hooks a new READ or WRITE knote to this source and updates what epoll watches. */
    void attach(LinuxKQueue kq, Knote kn, boolean isRead) {
        if (isRead) read = kn; else write = kn;
        kn.source = this;
        try {
            update(kq, kn);
        } catch (KqException e) {
            if (isRead) read = null; else write = null;
            if (read == null && write == null) kq.removeSource(this);
            throw e;
        }
    }

    void detach(LinuxKQueue kq, Knote kn) {
        if (read == kn) read = null;
        if (write == kn) write = null;
        if (read == null && write == null) {
            if (watch != null) kq.inotify().remove(watch, this);
            watch = null;
            if (writeEpollMask != 0) kq.writeEpoll().ctl(LinuxSys.EPOLL_CTL_DEL, fd, 0);
            if (epollMask != 0 || kq.source(fd) == this) kq.removeSource(this);
            epollMask = 0;
            writeEpollMask = 0;
            return;
        }
        if (gone) return;
        try {
            update(kq, kn);
        } catch (KqException e) {
            // The fd was closed without EV_DELETE: the remaining knote cannot fire any more,
            // and a drop must not fail. The next EV_ADD for the fd number replaces it.
            gone = true;
        }
    }

    private void update(LinuxKQueue kq, Knote kn) {
        kq.putSource(this);
        if (file) {
            if (read != null && watch == null) {
                watch = kq.inotify().add("/proc/self/fd/" + fd, this, kn.ident);
            }
            return;
        }
        boolean split = read != null && write != null;
        int main = (read != null ? LinuxSys.EPOLLIN | LinuxSys.EPOLLRDHUP : 0)
            | (write != null && !split ? WRITE_INTEREST : 0);
        // Take the WRITE interest out of the main registration before adding it to the
        // nested one, and back in the reverse order, so that it is never lost in between.
        if (split) {
            epollMask = apply(kq, false, epollMask, main);
            writeEpollMask = apply(kq, true, writeEpollMask, WRITE_INTEREST);
        } else {
            writeEpollMask = apply(kq, true, writeEpollMask, 0);
            epollMask = apply(kq, false, epollMask, main);
        }
    }

    /** Moves one registration (main or nested) from interest {@code have} to {@code want}. */
    private int apply(LinuxKQueue kq, boolean nested, int have, int want) {
        if (want == have) return have;
        int op = have == 0 ? LinuxSys.EPOLL_CTL_ADD : want == 0 ? LinuxSys.EPOLL_CTL_DEL : LinuxSys.EPOLL_CTL_MOD;
        int r = ctl(kq, nested, op, want);
        if (r == -Errno.ENOENT.number() && op == LinuxSys.EPOLL_CTL_MOD) {
            // The file was closed (epoll forgot it) while the fd number stayed ours.
            r = ctl(kq, nested, LinuxSys.EPOLL_CTL_ADD, want);
        }
        if (r < 0 && op != LinuxSys.EPOLL_CTL_DEL) throw new KqException(-r, "kevent EV_ADD: epoll_ctl", fd);
        return want;
    }

    private int ctl(LinuxKQueue kq, boolean nested, int op, int mask) {
        int events = mask == 0 ? 0 : mask | LinuxSys.EPOLLET;
        return nested ? kq.writeEpoll().ctl(op, fd, events) : kq.epollCtl(op, fd, events);
    }

    /** Folds poll(2) revents into the sticky EOF state. */
    void notePoll(int revents) {
        if (revents <= 0) return;
        noteEpoll(revents); // POLL* and EPOLL* bits coincide for IN, OUT, ERR, HUP, RDHUP
    }

    /**
     * Folds epoll bits into the sticky EOF state. A stream socket that is not connected (yet)
     * polls HUP without RDHUP; that is no end of file, so for sockets only RDHUP (the peer shut
     * its side), ERR, or HUP together with RDHUP (both directions shut) count.
     */
    void noteEpoll(int events) {
        boolean err = (events & LinuxSys.EPOLLERR) != 0;
        boolean rdhup = (events & LinuxSys.EPOLLRDHUP) != 0;
        boolean hup = (events & LinuxSys.EPOLLHUP) != 0;
        boolean readGone = err || rdhup || (hup && !socket);
        boolean writeGone = err || (hup && (!socket || rdhup));
        if ((readGone || writeGone) && socket && !readEof && !writeEof) {
            int e = LinuxSys.getsockoptInt(fd, LinuxSys.SOL_SOCKET, LinuxSys.SO_ERROR);
            socketError = Math.max(0, e);
        }
        if (readGone) readEof = true;
        if (writeGone) writeEof = true;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        if (read != null && (epollEvents & (LinuxSys.EPOLLIN | LinuxSys.EPOLLRDHUP | LinuxSys.EPOLLHUP
            | LinuxSys.EPOLLERR)) != 0) {
            kq.activate(read, epollEvents);
        }
        if (writeEpollMask == 0) onWriteEpoll(kq, epollEvents);
    }

    /** What epoll reported for the WRITE interest, from the main or the nested registration. */
    void onWriteEpoll(LinuxKQueue kq, int epollEvents) {
        if (write != null && (epollEvents & (LinuxSys.EPOLLOUT | LinuxSys.EPOLLHUP | LinuxSys.EPOLLERR)) != 0) {
            kq.activate(write, epollEvents);
        }
    }

    @Override
    public int inotifyMask() {
        return LinuxSys.IN_MODIFY | LinuxSys.IN_ATTRIB | LinuxSys.IN_CLOSE_WRITE;
    }

    @Override
    public void onInotify(LinuxKQueue kq, int mask, String name) {
        if (read != null) kq.activate(read, mask | Inotify.FROM_INOTIFY);
    }

    @Override
    public void onOverflow(LinuxKQueue kq) {
        if (read != null) kq.activate(read, Inotify.FROM_INOTIFY);
    }
}
