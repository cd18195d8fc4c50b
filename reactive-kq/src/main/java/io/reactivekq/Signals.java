package io.reactivekq;

import io.reactivekq.kqueue.Os;
import java.util.Locale;

/** Signal names to numbers, per OS (the numbers above 6 are not portable). */
final class Signals {
    private Signals() {}

    // name, Linux, macOS, FreeBSD
    private static final Object[][] TABLE = {
        {"HUP", 1, 1, 1}, {"INT", 2, 2, 2}, {"QUIT", 3, 3, 3}, {"ILL", 4, 4, 4}, {"TRAP", 5, 5, 5},
        {"ABRT", 6, 6, 6}, {"BUS", 7, 10, 10}, {"FPE", 8, 8, 8}, {"KILL", 9, 9, 9}, {"USR1", 10, 30, 30},
        {"SEGV", 11, 11, 11}, {"USR2", 12, 31, 31}, {"PIPE", 13, 13, 13}, {"ALRM", 14, 14, 14},
        {"TERM", 15, 15, 15}, {"CHLD", 17, 20, 20}, {"CONT", 18, 19, 19}, {"STOP", 19, 17, 17},
        {"TSTP", 20, 18, 18}, {"TTIN", 21, 21, 21}, {"TTOU", 22, 22, 22}, {"URG", 23, 16, 16},
        {"XCPU", 24, 24, 24}, {"XFSZ", 25, 25, 25}, {"VTALRM", 26, 26, 26}, {"PROF", 27, 27, 27},
        {"WINCH", 28, 28, 28}, {"IO", 29, 23, 23}, {"SYS", 31, 12, 12},
    };

    /** The number of {@code name} ("TERM" or "SIGTERM", any case) on this OS, or -1. */
    static int number(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) n = n.substring(3);
        int column = switch (Os.current()) {
            case MACOS -> 2;
            case FREEBSD -> 3;
            default -> 1;
        };
        for (Object[] row : TABLE) if (row[0].equals(n)) return (Integer) row[column];
        return -1;
    }
}
