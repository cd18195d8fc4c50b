package io.reactivekq.bench.core;

/**
 * The flags every fork of these benchmarks needs: native access for the FFM calls of
 * reactive-kq (on the class path, so ALL-UNNAMED), and sun.nio.ch for
 * {@link io.reactivekq.bench.Channels#fd}. Passing {@code -jvmArgsAppend} on the JMH command
 * line replaces them; add flags with {@code -jvmArgsPrepend} instead.
 */
final class JvmFlags {
    private JvmFlags() {}

    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String ADD_EXPORTS = "--add-exports";
    static final String SUN_NIO_CH = "java.base/sun.nio.ch=ALL-UNNAMED";
}
