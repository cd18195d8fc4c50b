package io.reactivekq.bench.core;

import io.reactivekq.sys.EpollEvents;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.NativeArena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic: single native calls through the sys layer, to see how much of the kevent path
 * is system calls and how much the Java around them. {@code fcntl(F_GETFD)} stands in for
 * the cheapest call the kernel answers (no getpid is bound). The epoll calls watch a pipe
 * that holds one unread byte, so they return at once with one event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.ADD_EXPORTS, JvmFlags.SUN_NIO_CH})
@State(Scope.Thread)
public class NativeCallBench {
    private final int[] pipe = new int[2];
    private final NativeArena arena = new NativeArena();
    private final EpollEvents events = new EpollEvents(arena, 8);
    private int epfd;

    @Setup(Level.Trial)
    public void open() {
        if (LinuxSys.pipe2(pipe, LinuxSys.O_CLOEXEC | LinuxSys.O_NONBLOCK) != 0) throw new IllegalStateException("pipe2");
        if (LinuxSys.write(pipe[1], new byte[] {1}, 0, 1) != 1) throw new IllegalStateException("write");
        epfd = LinuxSys.epollCreate();
        if (epfd < 0 || LinuxSys.epollCtl(epfd, LinuxSys.EPOLL_CTL_ADD, pipe[0], LinuxSys.EPOLLIN, pipe[0]) != 0) {
            throw new IllegalStateException("epoll");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        LinuxSys.close(epfd);
        LinuxSys.close(pipe[0]);
        LinuxSys.close(pipe[1]);
        arena.close();
    }

    @Benchmark
    public int fcntlGetfd() {
        return LinuxSys.fcntl(pipe[0], LinuxSys.F_GETFD, 0);
    }

    @Benchmark
    public int ioctlFionread() {
        return LinuxSys.ioctlInt(pipe[0], LinuxSys.FIONREAD);
    }

    private final LinuxSys.FileStat stat = new LinuxSys.FileStat();

    /** statx of the fd, as the READ filter does on registration and on each regular-file event. */
    @Benchmark
    public long fstat() {
        LinuxSys.fstat(pipe[0], stat);
        return stat.inode;
    }

    @Benchmark
    public int pollNow() {
        return LinuxSys.pollNow(pipe[0], LinuxSys.POLLIN);
    }

    @Benchmark
    public int epollWaitNow() {
        return LinuxSys.epollWait(epfd, events, 0);
    }

    /** A timed wait (epoll_pwait2 where glibc has it) that returns at once: the fd is ready. */
    @Benchmark
    public int epollWaitTimed() {
        return LinuxSys.epollWait(epfd, events, 1_000_000_000L);
    }
}
