package io.reactivekq.linux;

/**
 * What EVFILT_READ and EVFILT_WRITE share: both hang off the fd's {@link FdSource}, so they
 * attach, detach and notice a closed-and-reused fd number the same way.
 */
abstract class FdFilter implements FilterOps {
    private final boolean isRead;
    private final String addCall;

    FdFilter(boolean isRead, String filterName) {
        this.isRead = isRead;
        this.addCall = "kevent EV_ADD " + filterName;
    }

    @Override
    public final int attach(LinuxKQueue kq, Knote kn) {
        FdSource.obtain(kq, kn.ident, addCall).attach(kq, kn, isRead);
        return 0;
    }

    @Override
    public final void detach(LinuxKQueue kq, Knote kn) {
        ((FdSource) kn.source).detach(kq, kn);
    }

    @Override
    public final boolean dropIfStale(LinuxKQueue kq, Knote kn) {
        return FdSource.dropIfStale(kq, kn);
    }
}
