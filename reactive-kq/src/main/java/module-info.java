/**
 * reactive-kq: BSD kqueue semantics for Java and Project Reactor.
 *
 * <p>{@code io.reactivekq} is the reactive API ({@code KqPoller}, {@code Flux<KEvent>});
 * {@code io.reactivekq.kqueue} is the kevent SPI. The poller loop ({@code poller}), the
 * backends ({@code linux}, {@code bsd}) and the FFM layer ({@code sys}) stay internal.
 */
module io.reactivekq {
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    // sun.misc.Signal: EVFILT_SIGNAL chains to the JVM's own handlers instead of replacing them.
    requires jdk.unsupported;
    // Optional: the BlockHound integration is only loaded where BlockHound is present.
    requires static reactor.blockhound;

    exports io.reactivekq;
    exports io.reactivekq.kqueue;

    provides reactor.blockhound.integration.BlockHoundIntegration
        with io.reactivekq.poller.PollerBlockHoundIntegration;
}
