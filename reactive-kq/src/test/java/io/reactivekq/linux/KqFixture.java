package io.reactivekq.linux;

import org.junit.jupiter.api.AfterEach;

/** A fresh emulated kqueue and fd helper per test, both closed after it. */
abstract class KqFixture {
    final LinuxKQueue kq = LinuxKQueue.open();
    final TestFds fds = new TestFds();

    @AfterEach
    void closeKqueueAndFds() throws Exception {
        kq.close();
        fds.close();
    }
}
