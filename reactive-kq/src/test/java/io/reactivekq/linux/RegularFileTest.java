package io.reactivekq.linux;

import static io.reactivekq.linux.Kev.awaitEvent;
import static io.reactivekq.linux.Kev.one;
import static io.reactivekq.linux.Kev.poll;
import static io.reactivekq.linux.Kev.read;
import static io.reactivekq.linux.Kev.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.sys.LinuxSys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** READ and WRITE on regular files: ready while the offset is before the end; fires again on growth. */
class RegularFileTest extends KqFixture {
    @TempDir
    Path dir;


    private int openWith(int bytes) throws IOException {
        Path f = dir.resolve("data.bin");
        Files.write(f, new byte[bytes]);
        return fds.open(f.toFile(), LinuxSys.O_RDONLY);
    }

    private void append(int bytes) throws IOException {
        Files.write(dir.resolve("data.bin"), new byte[bytes], StandardOpenOption.APPEND);
    }

    @Test
    void dataIsTheBytesPastTheOffset() throws IOException {
        int fd = openWith(100);
        assertEquals(100, one(kq, read(fd, Ev.ADD)).data());
        assertEquals(40, TestFds.read(fd, 40));
        assertEquals(60, one(kq).data(), "level-triggered: re-checked against the new offset");
    }

    @Test
    void fileAtItsEndIsNotReadable() throws IOException {
        int fd = openWith(10);
        assertEquals(10, TestFds.read(fd, 10));
        kq.register(read(fd, Ev.ADD));
        assertTrue(poll(kq).isEmpty());
    }

    @Test
    void readingToTheEndDropsTheKnoteAndGrowthFiresItAgain() throws IOException {
        int fd = openWith(30);
        kq.register(read(fd, Ev.ADD));
        assertEquals(30, one(kq).data());
        assertEquals(30, TestFds.read(fd, 30));
        assertTrue(poll(kq).isEmpty(), "a file read to its end is still reported");
        append(7);
        KEvent e = awaitEvent(kq, ev -> ev.ident() == fd);
        assertEquals(7, e.data());
    }

    @Test
    void emptyFileFiresWhenSomethingIsWritten() throws IOException {
        int fd = openWith(0);
        kq.register(read(fd, Ev.ADD | Ev.CLEAR));
        assertTrue(poll(kq).isEmpty());
        append(12);
        assertEquals(12, awaitEvent(kq, ev -> ev.ident() == fd).data());
    }

    @Test
    void clearFileKnoteFiresOncePerGrowth() throws IOException {
        int fd = openWith(5);
        kq.register(read(fd, Ev.ADD | Ev.CLEAR));
        assertEquals(5, one(kq).data());
        assertTrue(poll(kq).isEmpty(), "EV_CLEAR file knote returned without growth");
        append(5);
        assertEquals(10, awaitEvent(kq, ev -> ev.ident() == fd).data(), "nothing was read: 10 bytes past offset 0");
    }

    @Test
    void writeOnARegularFileIsAlwaysReady() throws IOException {
        Path f = dir.resolve("w.bin");
        Files.write(f, new byte[3]);
        int fd = fds.open(f.toFile(), LinuxSys.O_WRONLY);
        KEvent e = one(kq, write(fd, Ev.ADD));
        assertEquals(EvFilt.WRITE, e.filter());
        assertEquals(0, e.data());
        assertEquals(fd, one(kq).ident(), "still ready");
    }

    @Test
    void readAndWriteOnOneFileFd() throws IOException {
        Path f = dir.resolve("rw.bin");
        Files.write(f, new byte[9]);
        int fd = fds.open(f.toFile(), LinuxSys.O_RDWR);
        var r = Kev.call(kq, 8, 0, read(fd, Ev.ADD), write(fd, Ev.ADD));
        assertEquals(2, r.size(), r::toString);
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.READ && e.data() == 9));
        assertTrue(r.stream().anyMatch(e -> e.filter() == EvFilt.WRITE));
        kq.register(read(fd, Ev.DELETE));
        var w = poll(kq);
        assertEquals(1, w.size());
        assertEquals(EvFilt.WRITE, w.get(0).filter());
    }
}
