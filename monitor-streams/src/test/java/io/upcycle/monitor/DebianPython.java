package io.upcycle.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.upcycle.testing.DebianPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Python 3 with its Kafka client and Avro packages, for the test of the Python example
 * trainer. When a module is missing and the test runs as root, it installs the packages with
 * apt-get (the project's own test set-up, as for Chromium); otherwise the test is skipped with the
 * reason.
 */
final class DebianPython {
    static final Path BINARY = Path.of("/usr/bin/python3");
    /**
     * The client, Avro, and {@code requests}: the client's schema registry module imports it, but
     * Debian's package does not depend on it (on a machine without it the test was skipped).
     */
    static final List<String> PACKAGES = List.of("python3-confluent-kafka", "python3-avro", "python3-requests");

    private DebianPython() {
    }

    /** Makes sure {@code import confluent_kafka, avro} works, installing the packages if possible; skips the test otherwise. */
    static void require() throws IOException, InterruptedException {
        if (importsWork()) {
            return;
        }
        assumeTrue(DebianPackages.canInstall(), "Debian's " + PACKAGES + " are not installed and installing them needs apt-get as root");
        DebianPackages.install(PACKAGES);
        assumeTrue(importsWork(), "apt-get could not install " + PACKAGES + " (see the test log)");
    }

    private static boolean importsWork() throws IOException, InterruptedException {
        return Files.isExecutable(BINARY)
                && DebianPackages.run(List.of(BINARY.toString(), "-c", "import confluent_kafka, confluent_kafka.schema_registry, avro.io"), 60) == 0;
    }
}
