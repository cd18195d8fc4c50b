package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.sys.LinuxSys;

/**
 * EVFILT_READ. data: bytes readable (pipes, sockets), pending connections (listening
 * sockets), or bytes between the offset and the end (regular files). EV_EOF when the
 * writing side is gone, with the socket error in fflags. With NOTE_READINESS, data is 1
 * while readable and the count only at EOF.
 */
final class ReadFilter extends FdFilter {

    ReadFilter() {
        super(true, "EVFILT_READ");
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        FdSource s = (FdSource) kn.source;
        boolean active = s.file ? fileEvent(s, kn) : streamEvent(kq, s, kn, hint);
        // A readiness knote's count (taken when no epoll report said readable: an EV_ADD,
        // an EV_ENABLE, a level re-check) only decides; what it reports is "ready".
        if (active && !kn.has(Ev.EOF) && readinessOnly(kn)) kn.data = 1;
        return active;
    }

    private static boolean streamEvent(LinuxKQueue kq, FdSource s, Knote kn, long hint) {
        if (hint != 0) s.noteEpoll((int) hint);
        if (!s.readEof && (hint & LinuxSys.EPOLLIN) != 0 && readinessOnly(kn)) {
            // epoll has just said readable, which is all this knote reports: no count.
            kn.flags &= ~Ev.EOF;
            return true;
        }
        kq.countedFd();
        long avail;
        if (s.listening) {
            int backlog = LinuxSys.tcpListenBacklog(s.fd);
            // Unix-domain listeners have no tcp_info: fall back to "at least one".
            avail = backlog >= 0 ? backlog : readableNow(s.fd) ? 1 : 0;
        } else {
            int n = LinuxSys.ioctlInt(s.fd, LinuxSys.FIONREAD);
            // eventfd, timerfd, signalfd and the like count no bytes: report 1 while readable.
            avail = n >= 0 ? n : readableNow(s.fd) ? 1 : 0;
        }
        kn.data = avail;
        if (s.readEof) {
            kn.flags |= Ev.EOF;
            kn.fflags = s.socketError;
            return true;
        }
        kn.flags &= ~Ev.EOF;
        return avail >= lowWater(kn);
    }

    private static boolean readableNow(int fd) {
        return (LinuxSys.pollNow(fd, LinuxSys.POLLIN) & LinuxSys.POLLIN) != 0;
    }

    private static boolean fileEvent(FdSource s, Knote kn) {
        long offset = LinuxSys.lseek(s.fd, 0, LinuxSys.SEEK_CUR);
        LinuxSys.FileStat st = new LinuxSys.FileStat();
        if (offset < 0 || LinuxSys.fstat(s.fd, st) < 0) return false;
        kn.data = st.size - offset;
        return kn.data > 0 && kn.data >= lowWater(kn);
    }
}
