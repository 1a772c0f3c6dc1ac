package io.upcycle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs Debian packages a test needs (Chromium, Python's Kafka client) the way the project sets
 * itself up: {@code apt-get install}, once more after {@code apt-get update} if that fails. Only
 * as root, where apt-get exists; the caller skips its test with the reason otherwise.
 */
public final class DebianPackages {
    private DebianPackages() {
    }

    /** Whether this process may install packages: apt-get exists and the user is root. */
    public static boolean canInstall() {
        return Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name"));
    }

    /** Installs {@code packages}; false when apt-get failed even after updating its lists. */
    public static boolean install(List<String> packages) throws IOException, InterruptedException {
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y"));
        install.addAll(packages);
        if (run(install, 900) == 0) {
            return true;
        }
        run(List.of("apt-get", "update"), 300);
        return run(install, 900) == 0;
    }

    /** Runs {@code command} with this process's output, at most {@code timeoutSeconds}; its exit code, -1 on timeout. */
    public static int run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
