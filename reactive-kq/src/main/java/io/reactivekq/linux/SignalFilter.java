package io.reactivekq.linux;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KqException;

/**
 * EVFILT_SIGNAL: ident is a signal number (Linux numbering); data counts the deliveries since
 * the last report (EV_CLEAR is implied). Counting chains onto the handler already in place
 * (see {@link SignalSource}), so no signal is swallowed. One instance per kqueue.
 */
final class SignalFilter implements FilterOps {
    /** Linux signal names 1-31 (x86_64 and the generic table of aarch64 agree). */
    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private SignalPort port;

    @Override
    public int attach(LinuxKQueue kq, Knote kn) {
        long signo = kn.ident;
        if (signo <= 0 || signo > 64) {
            throw new KqException(Errno.EINVAL, "kevent EV_ADD EVFILT_SIGNAL", signo, "not a signal number");
        }
        if (signo >= NAMES.length) {
            throw new KqException(Errno.EINVAL, "kevent EV_ADD EVFILT_SIGNAL", signo,
                "real-time signals cannot be watched: the JVM offers no handler for them");
        }
        kn.flags |= Ev.CLEAR;
        boolean opened = port == null;
        if (opened) port = SignalPort.open(kq);
        SignalSource.Subscription s = new SignalSource.Subscription(kn, port);
        try {
            SignalSource.subscribe((int) signo, NAMES[(int) signo], s);
        } catch (KqException e) {
            if (opened) closePort(kq);
            throw e;
        }
        port.add(s);
        kn.source = s;
        return 0;
    }

    @Override
    public void detach(LinuxKQueue kq, Knote kn) {
        SignalSource.Subscription s = (SignalSource.Subscription) kn.source;
        SignalSource.unsubscribe((int) kn.ident, s);
        if (port.remove(s)) closePort(kq);
    }

    private void closePort(LinuxKQueue kq) {
        port.close(kq);
        port = null;
    }

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        kn.data += ((SignalSource.Subscription) kn.source).pending.getAndSet(0);
        return kn.data > 0;
    }
}
