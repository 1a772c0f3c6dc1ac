package io.upcycle.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Python 3 with its Kafka client and Avro packages, for the test of the Python example
 * trainer. When a module is missing and the test runs as root, it installs the packages with
 * apt-get (the project's own test set-up, as for Chromium); otherwise the test is skipped with the
 * reason.
 */
final class DebianPython {
    static final Path BINARY = Path.of("/usr/bin/python3");
    static final List<String> PACKAGES = List.of("python3-confluent-kafka", "python3-avro");

    private DebianPython() {
    }

    /** Makes sure {@code import confluent_kafka, avro} works, installing the packages if possible; skips the test otherwise. */
    static void require() throws IOException, InterruptedException {
        if (importsWork()) {
            return;
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name")),
                "Debian's " + PACKAGES + " are not installed and installing them needs apt-get as root");
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(PACKAGES);
        if (run(install, 600) != 0) {
            run(List.of("apt-get", "update"), 300);
            run(install, 600);
        }
        assumeTrue(importsWork(), "apt-get could not install " + PACKAGES + " (see the test log)");
    }

    private static boolean importsWork() throws IOException, InterruptedException {
        return Files.isExecutable(BINARY)
                && run(List.of(BINARY.toString(), "-c", "import confluent_kafka, confluent_kafka.schema_registry, avro.io"), 60) == 0;
    }

    private static int run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
