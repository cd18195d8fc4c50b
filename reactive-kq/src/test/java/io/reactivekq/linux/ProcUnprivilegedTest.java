package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Errno;
import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import io.reactivekq.kqueue.KqException;
import io.reactivekq.kqueue.Note;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the kernel will not serve the process-event connector, NOTE_FORK, NOTE_EXEC and
 * NOTE_TRACK fail with ENOTSUP saying what is missing, and NOTE_EXIT keeps working. Each case
 * runs in a child JVM set up the way an unprivileged deployment would be.
 */
class ProcUnprivilegedTest {

    private static String run(List<String> prefix) throws Exception {
        Process p = ChildJvm.command(prefix, Main.class).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("NOTE_EXIT ok"), out);
        return out;
    }

    @Test
    void inAnotherUserNamespaceTheNotesFailWithEnotsupSayingWhy() throws Exception {
        // The kernel ignores listen requests from outside the initial namespaces: a container's root.
        String out = run(List.of("unshare", "--user", "--map-root-user", "--"));
        for (String note : new String[] {"NOTE_FORK", "NOTE_EXEC", "NOTE_TRACK"}) {
            assertTrue(out.contains(note + " ENOTSUP receipt=ENOTSUP"), out);
        }
        assertTrue(out.contains("only to processes of the initial user and pid namespaces"), out);
        assertTrue(out.contains("CAP_NET_ADMIN"), out);
    }

    @Test
    void withoutCapNetAdminTheNotesWorkOrFailNamingIt() throws Exception {
        // Linux 6.6+ opens the connector to everybody in the initial namespaces; older kernels
        // want CAP_NET_ADMIN. Either way nothing is pretended: events arrive, or ENOTSUP names it.
        String out = run(List.of("setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--"));
        assertTrue(out.contains("CapEff-net_admin=false"), out);
        for (String note : new String[] {"NOTE_FORK", "NOTE_EXEC", "NOTE_TRACK"}) {
            assertTrue(out.contains(note + " registered") || out.contains(note + " ENOTSUP receipt=ENOTSUP"), out);
        }
        if (out.contains("NOTE_FORK registered")) {
            assertTrue(out.contains("fork seen"), out);
        } else {
            assertTrue(out.contains("CAP_NET_ADMIN is missing"), out);
        }
    }

    @Test
    void aKernelThatWantsCapNetAdminRefusesWithEnotsupNamingIt() {
        // Kernels before 6.6 refuse the bind with EPERM; this one does not, so the seam stands in.
        ProcConnector.simulatedOpenErrno = Errno.EPERM.number();
        try (KQueue kq = KQueue.open()) {
            long self = ProcessHandle.current().pid();
            KqException e = assertThrows(KqException.class,
                () -> kq.register(KEvent.of(self, EvFilt.PROC, Ev.ADD, Note.FORK, 0, 0)));
            assertEquals("ENOTSUP", e.errnoName());
            assertTrue(e.getMessage().contains("CAP_NET_ADMIN is missing"), e.getMessage());
            assertEquals(java.util.Map.of(), ((LinuxKQueue) kq).knoteCounts(), "nothing is pretended");
            ProcConnector.simulatedOpenErrno = 0;
            kq.register(KEvent.of(self, EvFilt.PROC, Ev.ADD, Note.FORK, 0, 0)); // the real kernel accepts
        } finally {
            ProcConnector.simulatedOpenErrno = 0;
        }
    }

    /** The child: tries each connector note and prints what happened. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            String status = ProcFs.read("/proc/self/status");
            long capEff = Long.parseLong(status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow()
                .substring(7).strip(), 16);
            System.out.println("CapEff-net_admin=" + ((capEff & (1L << 12)) != 0));
            Process sh = new ProcessBuilder("sh", "-c", "read x; /bin/true; read x").start();
            try (KQueue kq = KQueue.open()) {
                boolean forkRegistered = false;
                for (int note : new int[] {Note.FORK, Note.EXEC, Note.TRACK}) {
                    String name = Note.names(EvFilt.PROC, note);
                    try {
                        kq.register(KEvent.of(sh.pid(), EvFilt.PROC, Ev.ADD, note | Note.EXIT, 0, 0));
                        kq.register(KEvent.of(sh.pid(), EvFilt.PROC, Ev.DELETE));
                        System.out.println(name + " registered");
                        forkRegistered |= note == Note.FORK;
                    } catch (KqException e) {
                        System.out.println(e.getMessage());
                        KEvent[] out = new KEvent[1];
                        kq.kevent(new KEvent[] {KEvent.of(sh.pid(), EvFilt.PROC, Ev.ADD | Ev.RECEIPT, note, 0, 0)},
                            out, Duration.ZERO);
                        System.out.println(name + " " + e.errnoName() + " receipt=" + Errno.nameOf((int) out[0].data()));
                    }
                }
                if (forkRegistered) {
                    kq.register(KEvent.of(sh.pid(), EvFilt.PROC, Ev.ADD, Note.FORK, 0, 0));
                    sh.getOutputStream().write('\n');
                    sh.getOutputStream().flush();
                    KEvent[] out = new KEvent[1];
                    if (kq.kevent(null, out, Duration.ofSeconds(30)) == 1 && out[0].hasNote(Note.FORK)) {
                        System.out.println("fork seen");
                    }
                    kq.register(KEvent.of(sh.pid(), EvFilt.PROC, Ev.DELETE));
                }
                kq.register(KEvent.of(sh.pid(), EvFilt.PROC, Ev.ADD, Note.EXIT, 0, 0));
                sh.getOutputStream().close();
                KEvent[] out = new KEvent[1];
                if (kq.kevent(null, out, Duration.ofSeconds(30)) == 1 && out[0].hasNote(Note.EXIT)) {
                    System.out.println("NOTE_EXIT ok");
                }
            } finally {
                sh.destroyForcibly().waitFor();
            }
        }
    }
}
