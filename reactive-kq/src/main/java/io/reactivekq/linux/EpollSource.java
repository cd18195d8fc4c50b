package io.reactivekq.linux;

/** Something the kqueue's epoll instance watches: a user fd, the wakeup eventfd, inotify, a pidfd... */
interface EpollSource {
    /** The fd registered in epoll; it is the epoll user data too, so it finds this source. */
    int fd();

    /** Handles what epoll reported for {@link #fd()}; runs under the kqueue's lock. */
    void onEpoll(LinuxKQueue kq, int epollEvents);
}
