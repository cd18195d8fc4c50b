package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.EvFilt;

/** The filter table of the emulation: filter number to {@link FilterOps}. */
final class Filters {
    /** Table size: portable filter numbers run from -1 to -11. */
    static final int COUNT = 11;
    static final short[] FILTERS = {EvFilt.READ, EvFilt.WRITE, EvFilt.AIO, EvFilt.VNODE, EvFilt.PROC,
        EvFilt.SIGNAL, EvFilt.TIMER, EvFilt.USER};

    private final FilterOps[] ops = new FilterOps[COUNT];

    Filters() {
        ops[index(EvFilt.READ)] = new ReadFilter();
        ops[index(EvFilt.WRITE)] = new WriteFilter();
        ops[index(EvFilt.TIMER)] = new TimerFilter();
        ops[index(EvFilt.USER)] = new UserFilter();
        ops[index(EvFilt.PROC)] = new ProcFilter();
        ops[index(EvFilt.SIGNAL)] = new SignalFilter();
        ops[index(EvFilt.VNODE)] = new VnodeFilter();
    }

    /** The ops for a filter number, or null for a filter this backend does not know. */
    FilterOps get(short filter) {
        int i = -filter - 1;
        return i >= 0 && i < COUNT ? ops[i] : null;
    }

    static int index(short filter) {
        return -filter - 1;
    }

    /** Advice to append to an error message, where an errno has a known remedy. */
    static String hint(int errno) {
        if (errno == Errno.ENOSPC.number()) {
            return "out of inotify watches; raise fs.inotify.max_user_watches (sysctl)";
        }
        if (errno == Errno.EMFILE.number()) {
            return "out of file descriptors; raise the open-files limit (ulimit -n)";
        }
        return null;
    }
}
