package io.reactivekq.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The one FFM binding helper: looks up libc symbols, builds downcall handles that capture
 * errno, and reads the captured errno. Every native call of the project is built here.
 *
 * <p>Convention: the bound handles take the call-state segment as their first argument;
 * callers pass {@link #callState()} and, on a {@code -1} result, read {@link #errno}.
 * The wrappers in this package return {@code -errno} on failure instead of throwing, so that
 * the backend decides which call and ident to name in the exception.
 */
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    /** The machine this JVM runs on, for the few struct layouts that differ by architecture. */
    public static final boolean X86_64 = System.getProperty("os.arch", "").matches("amd64|x86_64");

    /** A downcall to {@code name} that captures errno; fails loudly if libc lacks the symbol. */
    public static MethodHandle errnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        return optionalErrnoCall(name, fd, extra)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** As {@link #errnoCall} but empty when libc does not export {@code name} (older glibc). */
    public static Optional<MethodHandle> optionalErrnoCall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LIBC.find(name).map(addr -> LINKER.downcallHandle(addr, fd, options));
    }

    /**
     * The calling thread's errno slot, passed as first argument to every errno-capturing handle.
     * A wrapper that also needs scratch space takes both from one {@link Scratch#current()}.
     */
    public static MemorySegment callState() {
        return Scratch.current().callState;
    }

    /** The errno captured in {@code state} by the last call made with it. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Variadic-call option: the arguments from index {@code i} on are the variadic ones. */
    public static Linker.Option firstVariadicArg(int i) {
        return Linker.Option.firstVariadicArg(i);
    }

    /** Turns a {@code -1} result into {@code -errno}; any other result passes through. */
    static long result(long r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    /** Rethrows what a method handle threw: our handles throw nothing checked. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call failed", t);
    }
}
