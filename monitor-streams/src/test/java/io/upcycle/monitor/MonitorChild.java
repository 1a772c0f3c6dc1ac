package io.upcycle.monitor;

import io.upcycle.testing.ChildJvm;
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
        List<String> args = new ArrayList<>();
        config.forEach((key, value) -> {
            args.add("--set");
            args.add(key + "=" + value);
        });
        return ChildJvm.start(MonitorCommand.class, "512m", args, log);
    }

}
