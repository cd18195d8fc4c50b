package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxProcSys;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.NativeArena;
import io.reactivekq.sys.ProcEventBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A kqueue's subscription to the kernel's process-event connector (netlink, CN_IDX_PROC),
 * the only Linux source of fork and exec events for arbitrary processes: NOTE_FORK,
 * NOTE_EXEC and NOTE_TRACK run on it. The kernel serves it only to processes of the initial
 * user and pid namespaces, and before Linux 6.6 only to holders of CAP_NET_ADMIN; where it
 * refuses, registration fails with ENOTSUP saying which, instead of pretending.
 *
 * <p>Messages arrive in kernel order, so a child's fork is seen before anything the child
 * does; that lets NOTE_TRACK attach the child's knote before its exec or exit. The
 * connector also records the exit status of the processes it watches, which is how tracked
 * grandchildren (not our children, so waitid cannot read them) get a real status.
 */
final class ProcConnector implements EpollSource {
    /** Hint bit of an activation from the connector; fflags in the low 32 bits, a parent pid above. */
    static final long FROM_CONNECTOR = 1L << 62;
    /** Hint bit: an exit status the knote was waiting for has arrived. */
    static final long STATUS = 1L << 60;
    /** Room for bursts: thousands of forks and exits between two reads. */
    private static final int RCVBUF = 8 << 20;
    private static final String CALL = "kevent EV_ADD EVFILT_PROC: process-event connector";
    private static final int RECORDED_EXITS_MAX = 4096;

    /**
     * Test seam: an errno to fail the socket's open or bind with instead of calling the kernel
     * (0: call it). Lets tests reach the refusal of kernels older than this machine's.
     */
    static volatile int simulatedOpenErrno;

    private final int fd;
    private final NativeArena arena;
    private final ProcEventBuffer buf;
    private final Map<Long, Knote> watched = new HashMap<>();
    private final Map<Long, Long> exits = new HashMap<>();

    private ProcConnector(int fd, NativeArena arena, ProcEventBuffer buf) {
        this.fd = fd;
        this.arena = arena;
        this.buf = buf;
    }

    /** Opens and starts the subscription; throws ENOTSUP naming what is missing. */
    static ProcConnector open(LinuxKQueue kq, long ident) {
        int simulated = simulatedOpenErrno;
        int fd = simulated != 0 ? -simulated
            : LinuxProcSys.netlinkOpen(LinuxProcSys.NETLINK_CONNECTOR, ProcEventBuffer.CN_IDX_PROC, RCVBUF);
        if (fd == -Errno.EPERM.number() || fd == -Errno.EACCES.number()) {
            throw unsupported(ident, "CAP_NET_ADMIN is missing: this kernel (before Linux 6.6) lets only holders of "
                + "CAP_NET_ADMIN join the netlink process-event group");
        }
        if (fd < 0) {
            throw unsupported(ident, "the kernel offers no process-event connector (CONFIG_PROC_EVENTS): "
                + Errno.nameOf(-fd));
        }
        NativeArena arena = new NativeArena();
        ProcConnector c = new ProcConnector(fd, arena, new ProcEventBuffer(arena));
        try {
            c.listen(ident);
            kq.addSource(c, LinuxSys.EPOLLIN);
        } catch (RuntimeException e) {
            LinuxSys.close(fd);
            arena.close();
            throw e;
        }
        return c;
    }

    private static KqException unsupported(long ident, String why) {
        return new KqException(Errno.ENOTSUP, CALL, ident,
            "NOTE_FORK, NOTE_EXEC and NOTE_TRACK need the kernel's process-event connector; " + why);
    }

    /**
     * Sends PROC_CN_MCAST_LISTEN and reads the acknowledgement, which the kernel queues before
     * the send returns: none at all means we run outside the initial namespaces, where the
     * kernel ignores the request.
     */
    private void listen(long ident) {
        int token = (int) (ProcessHandle.current().pid() << 12 ^ System.identityHashCode(this)) | 1;
        long r = LinuxProcSys.send(fd, buf, buf.control(true, token));
        if (r < 0) throw unsupported(ident, "sending the listen request failed: " + Errno.nameOf((int) -r));
        while (true) {
            long n = LinuxProcSys.receive(fd, buf);
            if (n == -Errno.EAGAIN.number() || n == 0) {
                throw unsupported(ident, "the kernel ignored the listen request: it sends process events only to "
                    + "processes of the initial user and pid namespaces (and, before Linux 6.6, only to holders of "
                    + "CAP_NET_ADMIN there); this process runs in another namespace");
            }
            if (n == -Errno.ENOBUFS.number()) continue; // before we even started: nothing of ours was lost
            if (n < 0) throw unsupported(ident, "reading the connector failed: " + Errno.nameOf((int) -n));
            if (buf.isProcEvent() && buf.what() == ProcEventBuffer.EVENT_NONE && buf.ack() == token + 1) {
                int err = buf.ackError();
                if (err == 0) return;
                throw unsupported(ident, err == Errno.EPERM.number()
                    ? "CAP_NET_ADMIN is missing: the kernel refused to start process events"
                    : "the kernel refused to start process events: " + Errno.nameOf(err));
            }
        }
    }

    void watch(Knote kn) {
        watched.put(kn.ident, kn);
    }

    void unwatch(Knote kn) {
        if (watched.get(kn.ident) == kn) watched.remove(kn.ident);
        exits.remove(kn.ident);
    }

    boolean isWatching(Knote kn) {
        return watched.get(kn.ident) == kn;
    }

    boolean isEmpty() {
        return watched.isEmpty();
    }

    /** The exit status the connector reported for a watched process, or null. */
    Long exitStatus(long pid) {
        return exits.get(pid);
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void onEpoll(LinuxKQueue kq, int epollEvents) {
        while (true) {
            long n = LinuxProcSys.receive(fd, buf);
            if (n == -Errno.ENOBUFS.number()) {
                overflow(kq);
                continue;
            }
            if (n <= 0) return;
            if (buf.isProcEvent()) dispatch(kq);
        }
    }

    private void dispatch(LinuxKQueue kq) {
        switch (buf.what()) {
            case ProcEventBuffer.EVENT_FORK -> {
                // Threads share the parent's thread group; only a new thread-group leader is a process.
                if (buf.forkChildPid() != buf.forkChildTgid()) return;
                Knote parent = watched.get((long) buf.forkParentTgid());
                if (parent == null) return;
                if ((parent.sfflags & Note.FORK) != 0) kq.activate(parent, FROM_CONNECTOR | Note.FORK);
                if ((parent.sfflags & Note.TRACK) != 0) track(kq, parent, buf.forkChildPid());
            }
            case ProcEventBuffer.EVENT_EXEC -> {
                Knote kn = watched.get((long) buf.processTgid());
                if (kn != null && (kn.sfflags & Note.EXEC) != 0) kq.activate(kn, FROM_CONNECTOR | Note.EXEC);
            }
            case ProcEventBuffer.EVENT_EXIT -> {
                if (buf.processPid() != buf.processTgid()) return;
                Knote kn = watched.get((long) buf.processPid());
                if (kn == null) return;
                if (exits.size() < RECORDED_EXITS_MAX) exits.put(kn.ident, (long) (buf.exitCode() & 0xffff));
                kq.activate(kn, STATUS);
            }
            default -> { } // acknowledgements of other listeners, uid/gid/sid changes...
        }
    }

    /** NOTE_TRACK: registers the child with the parent's settings, as the BSD kernel does in fork. */
    private void track(LinuxKQueue kq, Knote parent, int childPid) {
        KEvent change = new KEvent(childPid, EvFilt.PROC, Ev.ADD | Ev.ENABLE | (parent.flags & Knote.KEPT_FLAGS),
            parent.sfflags, parent.ident, parent.udata, 0, 0);
        int err = kq.registerInternal(change);
        Knote child = watched.get((long) childPid);
        if (err != 0 || child == null) {
            kq.activate(parent, FROM_CONNECTOR | Note.TRACKERR);
        } else {
            kq.activate(child, FROM_CONNECTOR | (parent.ident << 32) | Note.CHILD);
        }
    }

    /** The socket overflowed: any watched process may have forked or exec'd unseen. */
    private void overflow(LinuxKQueue kq) {
        for (Knote kn : List.copyOf(watched.values())) {
            int notes = kn.sfflags & (Note.FORK | Note.EXEC);
            if ((kn.sfflags & Note.TRACK) != 0) notes |= Note.TRACKERR;
            if (notes != 0) kq.activate(kn, FROM_CONNECTOR | notes);
        }
    }

    void close(LinuxKQueue kq) {
        LinuxProcSys.send(fd, buf, buf.control(false, 0));
        kq.removeSource(this);
        LinuxSys.close(fd);
        arena.close();
        watched.clear();
        exits.clear();
    }
}
