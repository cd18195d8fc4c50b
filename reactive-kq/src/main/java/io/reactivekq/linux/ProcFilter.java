package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.WaitStatus;
import io.reactivekq.sys.LinuxProcSys;
import io.reactivekq.sys.LinuxSys;

/**
 * EVFILT_PROC: ident is a pid. NOTE_EXIT comes from a pidfd, with the wait status in data,
 * EV_EOF and EV_ONESHOT, as the BSD kernel reports it; NOTE_FORK, NOTE_EXEC and NOTE_TRACK
 * come from the process-event connector. EV_CLEAR is implied.
 *
 * <p>The status is read without reaping: waitid(WNOWAIT) while the child is a zombie, or the
 * exit record the kernel keeps on the pidfd once another thread (the JDK's reaper) has
 * reaped it. Between those two moments there is a short window in which neither answers;
 * the knote then waits instead of guessing: the pidfd wakes epoll again when the process is
 * reaped (Linux 6.15+), and a slow timer covers kernels that do not. One instance per kqueue.
 */
final class ProcFilter implements FilterOps {
    private static final String CALL = "kevent EV_ADD EVFILT_PROC";
    private static final int CONNECTOR_NOTES = Note.FORK | Note.EXEC | Note.TRACK;
    /** Out-notes a knote reports even without registering them. */
    private static final int ALWAYS = Note.TRACKERR | Note.CHILD;
    /** The fallback timer: the reap itself normally wakes the pidfd long before. */
    private static final long RETRY_FIRST_NANOS = 5_000_000;
    private static final long RETRY_MAX_NANOS = 100_000_000;
    /** With the backoff above, about 5 s before a status is declared lost. */
    private static final int RETRIES = 55;

    private ProcConnector connector;

    /** A PROC knote is scheduled (on itself) to retry reading an exit status still in flight. */
    @Override
    public Knote newKnote(KEvent change) {
        return new ScheduledKnote(change, this);
    }

    @Override
    public int attach(LinuxKQueue kq, Knote kn) {
        long pid = kn.ident;
        if (pid <= 0 || pid > Integer.MAX_VALUE) throw new KqException(Errno.ESRCH, CALL, pid, "not a process id");
        kn.flags |= Ev.CLEAR;
        int fd = LinuxProcSys.pidfdOpen(pid);
        if (fd < 0) throw new KqException(-fd, CALL + ": pidfd_open", pid);
        int peek = LinuxProcSys.peekExit(fd);
        PidSource src = new PidSource(fd, kn, peek != -Errno.ECHILD.number());
        kn.source = src;
        try {
            if (src.pollExited() && (kn.sfflags & Note.EXIT) == 0) {
                throw new KqException(Errno.ESRCH, CALL, pid, "the process has exited and NOTE_EXIT was not asked for");
            }
            kq.addSource(src, LinuxSys.EPOLLIN | LinuxSys.EPOLLET);
            updateConnector(kq, kn);
        } catch (KqException e) {
            src.close(kq);
            throw e;
        }
        return 0;
    }

    @Override
    public void detach(LinuxKQueue kq, Knote kn) {
        ((PidSource) kn.source).close(kq);
        if (connector != null) {
            connector.unwatch(kn);
            closeConnectorIfIdle(kq);
        }
    }

    @Override
    public int modify(LinuxKQueue kq, Knote kn, KEvent change) {
        int old = kn.sfflags;
        kn.sfflags = change.fflags();
        kn.sdata = change.data();
        try {
            updateConnector(kq, kn);
        } catch (KqException e) {
            kn.sfflags = old;
            throw e;
        }
        return 0;
    }

    /** Starts or stops watching the knote's process on the connector as its notes require. */
    private void updateConnector(LinuxKQueue kq, Knote kn) {
        if ((kn.sfflags & CONNECTOR_NOTES) != 0) {
            if (connector == null) connector = ProcConnector.open(kq, kn.ident);
            connector.watch(kn);
        } else if (connector != null) {
            connector.unwatch(kn);
            closeConnectorIfIdle(kq);
        }
    }

    private void closeConnectorIfIdle(LinuxKQueue kq) {
        if (connector != null && connector.isEmpty()) {
            connector.close(kq);
            connector = null;
        }
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        PidSource s = (PidSource) kn.source;
        if ((hint & ProcConnector.FROM_CONNECTOR) != 0) {
            int notes = (int) hint;
            kn.fflags |= notes & (kn.sfflags | ALWAYS);
            if ((notes & Note.CHILD) != 0) kn.data = (hint >>> 32) & 0x3fffffffL; // the parent's pid
        }
        if (!s.exited) s.exited = (hint & PidSource.EXITED) != 0 || (hint == 0 && s.pollExited());
        if (s.exited && !s.statusKnown) resolveStatus(kq, kn, s);
        if (s.exited && s.statusKnown) {
            kn.fflags |= kn.sfflags & Note.EXIT;
            if ((kn.sfflags & Note.EXIT) != 0) {
                kn.data = s.status;
                kn.setExt(s.statusErrno, kn.ext1());
            }
            kn.flags |= Ev.EOF;
            kn.flags |= Ev.ONESHOT; // the process is gone: deliver once and drop, as BSD does
            return true;
        }
        return kn.fflags != 0;
    }

    /**
     * Reads the exit status without reaping. Leaves it unknown (and retries on a timer) only
     * while it is certainly on its way: a child being reaped by another thread, or a watched
     * process whose connector exit record has not been read yet.
     */
    private void resolveStatus(LinuxKQueue kq, Knote kn, PidSource s) {
        int st = LinuxProcSys.peekExit(s.fd);
        if (st == LinuxProcSys.RUNNING) { // a leader whose other threads still run: not exited yet
            s.exited = false;
            return;
        }
        boolean inFlight = false;
        if (st < 0 && s.child) {
            // Only for children: a non-child's record exists only once its own parent reaped it,
            // so using it would make the answer depend on that parent's timing.
            st = LinuxProcSys.reapedExit(s.fd);
            // ESRCH: no exit record yet, so a child is being reaped right now. Any other errno:
            // a kernel before 6.15 keeps no record, and waiting would not bring one.
            inFlight = s.child && st == -Errno.ESRCH.number();
        }
        boolean watched = connector != null && connector.isWatching(kn);
        if (st < 0 && watched) {
            Long c = connector.exitStatus(kn.ident);
            if (c != null) st = (int) (long) c;
            inFlight = true; // the connector's exit record follows the exit
        }
        if (st >= 0) {
            known(s, st, 0);
        } else if (inFlight && s.retries < RETRIES) {
            scheduleRetry(kq, kn, s);
        } else {
            known(s, WaitStatus.UNAVAILABLE, Errno.ECHILD.number());
        }
    }

    private static void known(PidSource s, long status, int errno) {
        s.status = status;
        s.statusErrno = errno;
        s.statusKnown = true;
    }

    private static void scheduleRetry(LinuxKQueue kq, Knote kn, PidSource s) {
        long delay = Math.min(RETRY_MAX_NANOS, RETRY_FIRST_NANOS << Math.min(s.retries, 5));
        s.retries++;
        kq.timers().schedule((ScheduledKnote) kn, System.nanoTime() + delay, 0, 0);
        kq.wakeWaiters();
    }
}
