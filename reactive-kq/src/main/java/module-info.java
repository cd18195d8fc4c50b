/**
 * reactive-kq: BSD kqueue semantics for Java and Project Reactor.
 *
 * <p>{@code io.reactivekq.kqueue} is the kevent SPI; the backends ({@code linux}, {@code bsd})
 * and the FFM layer ({@code sys}) stay internal.
 */
module io.reactivekq {
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    // sun.misc.Signal: EVFILT_SIGNAL chains to the JVM's own handlers instead of replacing them.
    requires jdk.unsupported;

    exports io.reactivekq.kqueue;
}
