package io.reactivekq.kqueue;

import java.util.Locale;

/** The operating systems reactive-kq knows, and which one this JVM runs on. */
public enum Os {
    /** Linux: kqueue semantics emulated in Java over epoll, inotify, pidfd, eventfd. */
    LINUX,
    /** macOS: the native kqueue through FFM. */
    MACOS,
    /** FreeBSD: the native kqueue through FFM. */
    FREEBSD,
    /** Anything else: {@link KQueue#open()} fails with ENOSYS. */
    OTHER;

    private static final Os CURRENT = detect(System.getProperty("os.name", ""));

    /** The OS of the running JVM. */
    public static Os current() {
        return CURRENT;
    }

    static Os detect(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) return LINUX;
        if (n.startsWith("mac") || n.startsWith("darwin")) return MACOS;
        if (n.startsWith("freebsd")) return FREEBSD;
        return OTHER;
    }
}
