package io.reactivekq.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc files in tests. (Files.readString trusts the reported size, which is 0 there, and may cut them short.) */
final class ProcFs {
    private ProcFs() {}

    static String read(String path) throws IOException {
        return String.join("\n", Files.readAllLines(Path.of(path)));
    }
}
