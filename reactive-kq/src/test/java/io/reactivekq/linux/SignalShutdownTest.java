package io.reactivekq.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.KQueue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Watching SIGTERM does not swallow it: a child JVM that watches it still runs its shutdown
 * hooks and ends with the usual status 143, and its kevent sees the delivery too.
 */
class SignalShutdownTest {

    @Test
    void sigtermStillRunsShutdownHooksAndEndsTheJvm() throws Exception {
        Process p = ChildJvm.command(List.of(), Main.class).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) all.append(line).append('\n');
        assertEquals("READY", line, all.toString());
        p.toHandle().destroy(); // SIGTERM, leaving the pipes open (Process.destroy closes them)
        while ((line = out.readLine()) != null) all.append(line).append('\n');
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), all.toString());
        assertEquals(143, p.exitValue(), "the JVM ended as SIGTERM ends it: " + all);
        assertTrue(all.toString().contains("kevent SIGTERM data=1"), all.toString());
        assertTrue(all.toString().contains("shutdown hook ran, saw the event: true"), all.toString());
    }

    /** The child JVM: watches SIGTERM, reports it, and has a shutdown hook. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            CountDownLatch seen = new CountDownLatch(1);
            KQueue kq = KQueue.open();
            kq.register(KEvent.of(15, EvFilt.SIGNAL, Ev.ADD));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                boolean saw = false;
                try {
                    saw = seen.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("shutdown hook ran, saw the event: " + saw);
                System.out.flush();
            }));
            System.out.println("READY");
            System.out.flush();
            KEvent[] ev = new KEvent[1];
            while (true) {
                if (kq.kevent(null, ev, Duration.ofSeconds(60)) == 1) {
                    System.out.println("kevent SIGTERM data=" + ev[0].data());
                    System.out.flush();
                    seen.countDown();
                }
            }
        }
    }
}
