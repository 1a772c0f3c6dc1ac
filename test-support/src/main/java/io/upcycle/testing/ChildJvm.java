package io.upcycle.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a service's {@code main} in a JVM of its own, for tests that kill it with SIGKILL: this
 * JVM's java and classpath, the {@code -D} flags the build gives tests, and the output to a log file.
 */
public final class ChildJvm {
    /** The system properties a child needs as this JVM has them (ENGINE_CACHE_DIR: natives already unpacked). */
    private static final List<String> FORWARDED = List.of("org.apache.avro.SERIALIZABLE_PACKAGES", "ai.djl.offline",
            "upcycle.home", "ENGINE_CACHE_DIR");

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code args} and at most {@code maxHeap} (e.g. "1g") of heap; stdout and stderr go to {@code log}. */
    public static Process start(Class<?> main, String maxHeap, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx" + maxHeap);
        for (String property : FORWARDED) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
