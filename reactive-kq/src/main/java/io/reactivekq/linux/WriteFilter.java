package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.sys.LinuxSys;

/**
 * EVFILT_WRITE. data: free space in the pipe buffer or the socket's send buffer; regular
 * files are always writable with data 0. EV_EOF when the reading side is gone. With
 * NOTE_READINESS, data is 1 while writable: no space is counted.
 */
final class WriteFilter extends FdFilter {

    WriteFilter() {
        super(false, "EVFILT_WRITE");
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        FdSource s = (FdSource) kn.source;
        boolean readiness = readinessOnly(kn);
        if (s.file) {
            kn.data = readiness ? 1 : 0;
            return true;
        }
        int revents = hint != 0 ? (int) hint : LinuxSys.pollNow(s.fd, FdSource.WRITE_INTEREST);
        s.noteEpoll(Math.max(0, revents));
        if (s.writeEof) {
            kn.flags |= Ev.EOF;
            kn.fflags = s.socketError;
            kn.data = 0;
            return true;
        }
        kn.flags &= ~Ev.EOF;
        boolean writable = (revents & LinuxSys.EPOLLOUT) != 0;
        if (readiness) {
            kn.data = 1; // epoll's (or poll's) word is all a readiness knote reports: no count
            return writable;
        }
        kq.countedFd();
        kn.data = freeSpace(s);
        return writable && kn.data >= lowWater(kn);
    }

    private static long freeSpace(FdSource s) {
        if (s.fifo) {
            int queued = LinuxSys.ioctlInt(s.fd, LinuxSys.FIONREAD);
            return Math.max(0, s.pipeCapacity - Math.max(0, queued));
        }
        if (s.socket) {
            int sndbuf = LinuxSys.getsockoptInt(s.fd, LinuxSys.SOL_SOCKET, LinuxSys.SO_SNDBUF);
            int queued = LinuxSys.ioctlInt(s.fd, LinuxSys.TIOCOUTQ);
            return Math.max(0, (long) sndbuf - Math.max(0, queued));
        }
        return 1; // a tty or device that polls writable: kqueue reports no size for those
    }
}
