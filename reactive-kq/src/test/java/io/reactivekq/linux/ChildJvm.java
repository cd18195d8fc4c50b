package io.reactivekq.linux;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts a test program (a class of this test tree with a main method) in a fresh JVM on the
 * class path, optionally behind a command prefix such as setpriv or unshare.
 */
final class ChildJvm {
    private ChildJvm() {}

    static ProcessBuilder command(List<String> prefix, Class<?> main, String... args) {
        Set<String> cp = new LinkedHashSet<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v == null) continue;
            for (String e : v.split(File.pathSeparator)) if (!e.isBlank()) cp.add(e);
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xss1m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
