package io.upcycle.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monitor in a JVM of its own ({@link MonitorCommand#main}, as {@code upcycle monitor} runs it),
 * for tests that kill it: this JVM's java and classpath, the {@code -D} flags the build gives
 * tests, and {@code config} as {@code --set key=value} arguments; its output goes to {@code log}.
 */
final class MonitorChild {
    private MonitorChild() {
    }

    static Process start(Map<String, String> config, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx512m");
        for (String property : List.of("org.apache.avro.SERIALIZABLE_PACKAGES", "upcycle.home")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MonitorCommand.class.getName());
        config.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
