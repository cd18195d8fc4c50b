package io.reactivekq.linux;

import static io.reactivekq.linux.VnodeNotesTest.next;
import static io.reactivekq.linux.VnodeNotesTest.vnode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.Note;
import io.reactivekq.sys.LinuxSys;
import io.reactivekq.sys.LinuxTtySys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NOTE_REVOKE: Linux revokes a terminal by hanging it up (the close of a pty's master runs
 * the same vhangup as vhangup(2)); the knote reports it as BSD does a revoke(2): NOTE_REVOKE
 * with EV_EOF and EV_ONESHOT, a final event.
 */
class VnodeRevokeTest {

    @Test
    void aHungUpTerminalIsRevoked() {
        int baseline = ProcFs.kernelObjectFds();
        int[] pty = new int[2];
        assertEquals(0, LinuxTtySys.openPty(pty));
        try (KQueue kq = KQueue.open()) {
            kq.register(vnode(pty[1], Note.REVOKE | Note.WRITE | Note.ATTRIB));
            assertEquals(0, kq.kevent(null, new KEvent[1], Duration.ZERO));
            LinuxSys.close(pty[0]); // the master goes: the kernel hangs the terminal up
            pty[0] = -1;
            KEvent ev = next(kq);
            assertEquals(pty[1], ev.ident());
            assertTrue(ev.hasNote(Note.REVOKE), ev.toString());
            assertTrue(ev.has(Ev.EOF) && ev.has(Ev.ONESHOT), "a final event: " + ev);
            assertEquals(Map.of(), ((LinuxKQueue) kq).knoteCounts());
        } finally {
            if (pty[0] >= 0) LinuxSys.close(pty[0]);
            LinuxSys.close(pty[1]);
        }
        assertEquals(baseline, ProcFs.kernelObjectFds());
    }
}
