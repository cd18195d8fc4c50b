package io.reactivekq.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.Note;
import io.reactivekq.kqueue.Os;
import io.reactivekq.sys.KeventBuffer;
import io.reactivekq.sys.NativeArena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The native backend cannot run here (Linux), so these tests pin what it sends the kernel:
 * the byte layout of struct kevent64_s / struct kevent and the constant translation.
 */
class BsdLayoutTest {

    @Test
    void macosKevent64IsFortyEightBytesWithFieldsAtTheirOffsets() {
        assertLayout(KeventBuffer.Layout.MACOS_KEVENT64, 48);
    }

    @Test
    void freebsdKeventIsSixtyFourBytesWithFourExtensionWords() {
        assertLayout(KeventBuffer.Layout.FREEBSD_KEVENT, 64);
    }

    private static void assertLayout(KeventBuffer.Layout layout, int size) {
        assertEquals(size, layout.size());
        try (NativeArena arena = new NativeArena()) {
            KeventBuffer b = new KeventBuffer(arena, layout, 2);
            b.set(1, 0x1122334455667788L, (short) -10, 0x8021, 0xc0000003, -5L, 0xCAFEL, 7L, 9L);
            ByteBuffer expected = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
            expected.putLong(0, 0x1122334455667788L).putShort(8, (short) -10).putShort(10, (short) 0x8021)
                .putInt(12, 0xc0000003).putLong(16, -5L).putLong(24, 0xCAFEL).putLong(32, 7L).putLong(40, 9L);
            assertArrayEquals(expected.array(), b.bytes(1));
            assertEquals(0x1122334455667788L, b.ident(1));
            assertEquals(-10, b.filter(1));
            assertEquals(0x8021, b.flags(1), "flags read back unsigned");
            assertEquals(0xc0000003, b.fflags(1));
            assertEquals(-5L, b.data(1));
            assertEquals(0xCAFEL, b.udata(1));
            assertEquals(7L, b.ext0(1));
            assertEquals(9L, b.ext1(1));
        }
    }

    @Test
    void userFilterIsRenumberedOnMacosOnly() {
        assertEquals(-10, BsdConstants.filterToNative(Os.MACOS, EvFilt.USER));
        assertEquals(EvFilt.USER, BsdConstants.filterFromNative(Os.MACOS, (short) -10));
        assertEquals(EvFilt.USER, BsdConstants.filterToNative(Os.FREEBSD, EvFilt.USER));
        assertEquals(EvFilt.READ, BsdConstants.filterToNative(Os.MACOS, EvFilt.READ));
    }

    @Test
    void timerUnitsTranslateBothWaysOnMacos() {
        int portable = Note.USECONDS | Note.LEEWAY;
        int mac = BsdConstants.fflagsToNative(Os.MACOS, EvFilt.TIMER, portable);
        assertEquals(BsdConstants.MACOS_NOTE_USECONDS | BsdConstants.MACOS_NOTE_LEEWAY, mac);
        assertEquals(portable, BsdConstants.fflagsFromNative(Os.MACOS, EvFilt.TIMER, mac));
        assertEquals(0, BsdConstants.fflagsToNative(Os.MACOS, EvFilt.TIMER, Note.MSECONDS), "ms is macOS's default");
        assertEquals(Note.NSECONDS, BsdConstants.fflagsToNative(Os.FREEBSD, EvFilt.TIMER, Note.NSECONDS | Note.LEEWAY));
        assertEquals(Note.TRIGGER | Note.FFOR, BsdConstants.fflagsToNative(Os.MACOS, EvFilt.USER, Note.TRIGGER | Note.FFOR));
    }

    @Test
    void theReadinessNoteNeverReachesTheKernel() {
        for (Os os : new Os[] {Os.MACOS, Os.FREEBSD}) {
            assertEquals(Note.LOWAT, BsdConstants.fflagsToNative(os, EvFilt.READ, Note.LOWAT | Note.READINESS), os + " READ");
            assertEquals(0, BsdConstants.fflagsToNative(os, EvFilt.WRITE, Note.READINESS), os + " WRITE");
            assertEquals(Note.EXEC, BsdConstants.fflagsToNative(os, EvFilt.PROC, Note.EXEC), os + " PROC's NOTE_EXEC, the same bit");
        }
    }

    @Test
    void procTrackIsRefusedOnMacosWithEnotsup() {
        assertEquals(Errno.ENOTSUP.number(Os.MACOS), BsdConstants.unsupportedNotes(Os.MACOS, EvFilt.PROC, Note.TRACK));
        assertEquals(0, BsdConstants.unsupportedNotes(Os.FREEBSD, EvFilt.PROC, Note.TRACK));
        assertEquals(0, BsdConstants.unsupportedNotes(Os.MACOS, EvFilt.PROC, Note.EXIT));
    }

    @Test
    void errnoNumbersDifferPerOsAboveThirtyFour() {
        assertEquals(11, Errno.EAGAIN.number(Os.LINUX));
        assertEquals(35, Errno.EAGAIN.number(Os.MACOS));
        assertEquals(95, Errno.ENOTSUP.number(Os.LINUX));
        assertEquals(45, Errno.ENOTSUP.number(Os.FREEBSD));
        assertEquals(85, Errno.ECANCELED.number(Os.FREEBSD));
        assertEquals(89, Errno.ECANCELED.number(Os.MACOS));
    }
}
