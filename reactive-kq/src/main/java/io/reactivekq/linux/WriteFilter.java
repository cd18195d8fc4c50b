package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.sys.LinuxSys;

/**
 * EVFILT_WRITE. data: free space in the pipe buffer or the socket's send buffer; regular
 * files are always writable with data 0. EV_EOF when the reading side is gone.
 */
final class WriteFilter extends FdFilter {

    WriteFilter() {
        super(false, "EVFILT_WRITE");
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        FdSource s = (FdSource) kn.source;
        if (s.file) {
            kn.data = 0;
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
        kn.data = freeSpace(s);
        return (revents & LinuxSys.EPOLLOUT) != 0 && kn.data >= ReadFilter.lowWater(kn);
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
