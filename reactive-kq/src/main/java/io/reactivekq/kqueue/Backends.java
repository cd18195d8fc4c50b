package io.reactivekq.kqueue;

import io.reactivekq.bsd.BsdKQueue;
import io.reactivekq.linux.LinuxKQueue;

/** Picks the kqueue backend for an OS. */
final class Backends {
    private Backends() {}

    static KQueue open(Os os) {
        return switch (os) {
            case LINUX -> LinuxKQueue.open();
            case MACOS, FREEBSD -> BsdKQueue.open(os);
            case OTHER -> throw new KqException(Errno.ENOSYS, "kqueue", 0,
                "no backend for " + System.getProperty("os.name"));
        };
    }
}
