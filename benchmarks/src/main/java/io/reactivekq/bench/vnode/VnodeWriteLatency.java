package io.reactivekq.bench.vnode;

import io.reactivekq.bench.proc.Percentiles;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-process benchmark: latency from a one-byte append to the notification, on a watcher
 * thread blocked waiting: EVFILT_VNODE (NOTE_WRITE) on the file's fd next to
 * java.nio.file.WatchService (ENTRY_MODIFY) on its directory, the same file and directory,
 * alternating blocks in one run. One write at a time: the writer waits for each notification.
 *
 * <p>Usage: {@code VnodeWriteLatency [writes-per-block=2000] [blocks=5]}
 */
public final class VnodeWriteLatency {
    private static final int WARMUP = 1000;

    public static void main(String[] args) throws Exception {
        int perBlock = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("vnode-bench");
        Path file = Files.createFile(dir.resolve("log"));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND)) {
            System.out.printf("VNODE write latency: %d writes x %d blocks per approach (after %d warm-up), %s%n",
                perBlock, blocks, WARMUP, dir);
            viaKevent(file, out, WARMUP);
            viaWatchService(dir, out, WARMUP);
            long[] kq = new long[perBlock * blocks];
            long[] ws = new long[perBlock * blocks];
            for (int b = 0; b < blocks; b++) {
                System.arraycopy(viaKevent(file, out, perBlock), 0, kq, b * perBlock, perBlock);
                System.arraycopy(viaWatchService(dir, out, perBlock), 0, ws, b * perBlock, perBlock);
            }
            System.out.println("kevent       " + Percentiles.summary(kq));
            System.out.println("WatchService " + Percentiles.summary(ws));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Publishes the time, then appends one byte (publishing after would race the watcher). */
    private static void append(FileChannel out, AtomicLong sent) throws Exception {
        sent.set(System.nanoTime());
        out.write(ByteBuffer.wrap(new byte[] {'x'}));
    }

    private static long[] viaKevent(Path file, FileChannel out, int writes) throws Exception {
        long[] lat = new long[writes];
        AtomicLong sent = new AtomicLong();
        Semaphore seen = new Semaphore(0);
        try (KQueue kq = KQueue.open(); FileInputStream in = new FileInputStream(file.toFile())) {
            int fd = fdOf(in);
            kq.register(KEvent.of(fd, EvFilt.VNODE, Ev.ADD | Ev.CLEAR, Note.WRITE | Note.EXTEND, 0, 0));
            Thread watcher = Thread.ofPlatform().start(() -> {
                KEvent[] ev = new KEvent[1];
                for (int i = 0; i < writes; i++) {
                    if (kq.kevent(KQueue.NO_EVENTS, 0, ev, 1, TimeUnit.SECONDS.toNanos(30)) != 1) return;
                    lat[i] = System.nanoTime() - sent.get();
                    seen.release();
                }
            });
            for (int i = 0; i < writes; i++) {
                append(out, sent);
                if (!seen.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("kevent missed write " + i);
            }
            watcher.join();
        }
        return lat;
    }

    private static long[] viaWatchService(Path dir, FileChannel out, int writes) throws Exception {
        long[] lat = new long[writes];
        AtomicLong sent = new AtomicLong();
        Semaphore seen = new Semaphore(0);
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            dir.register(ws, StandardWatchEventKinds.ENTRY_MODIFY);
            Thread watcher = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < writes; i++) {
                        WatchKey k = ws.poll(30, TimeUnit.SECONDS);
                        if (k == null) return;
                        lat[i] = System.nanoTime() - sent.get();
                        k.pollEvents();
                        k.reset();
                        seen.release();
                    }
                } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < writes; i++) {
                append(out, sent);
                if (!seen.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("WatchService missed write " + i);
            }
            watcher.join();
        }
        return lat;
    }

    /** The fd of a FileInputStream (a private field: run with --add-opens java.base/java.io=ALL-UNNAMED). */
    private static int fdOf(FileInputStream in) throws Exception {
        var f = java.io.FileDescriptor.class.getDeclaredField("fd");
        f.setAccessible(true);
        return f.getInt(in.getFD());
    }
}
