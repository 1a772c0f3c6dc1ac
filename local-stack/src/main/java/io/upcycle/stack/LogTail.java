package io.upcycle.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a child process's log, quoted in start-up errors. */
final class LogTail {

    private LogTail() {
    }

    static String of(Path log, int lines) {
        try {
            // Malformed bytes are replaced rather than failing: the log is only read for humans.
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            List<String> all = text.lines().toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
