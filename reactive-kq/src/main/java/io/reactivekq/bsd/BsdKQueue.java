package io.reactivekq.bsd;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Os;

/** Placeholder while the native backend is written. */
public final class BsdKQueue {
    private BsdKQueue() {}

    public static KQueue open(Os os) {
        throw new KqException(Errno.ENOSYS, "kqueue", -1, "native backend for " + os + " not built yet");
    }
}
