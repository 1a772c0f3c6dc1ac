package io.upcycle.trainer;

import io.upcycle.model.tasks.TaskData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trainer in a JVM of its own, for tests that kill it: {@code --key value} trainer config, run
 * on the {@link #task()} and {@link #pretrain()} synthetic data (built from seeds, so the test and
 * the child see the same numbers). Exits 0 when the run ends.
 */
final class TrainerChild {
    private TrainerChild() {
    }

    /** The task the child fine-tunes on. */
    static TaskData task() {
        return SyntheticTasks.clusters("synthetic-task", 4, 640, 4, 2);
    }

    /** The data its base is pretrained on (the base is cached under the home, so pretrain it once first). */
    static TaskData pretrain() {
        return SyntheticTasks.tinyPretrain();
    }

    /**
     * Starts {@link #main} in a new JVM (this one's java and classpath, and the {@code -D} flags
     * the build gives tests) with {@code config} as {@code --key value}; its output goes to {@code log}.
     */
    static Process start(Map<String, String> config, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx1g");
        // ENGINE_CACHE_DIR: the PyTorch natives this JVM already unpacked, instead of unpacking them again.
        for (String property : List.of("org.apache.avro.SERIALIZABLE_PACKAGES", "ai.djl.offline", "upcycle.home",
                "ENGINE_CACHE_DIR")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrainerChild.class.getName());
        config.forEach((key, value) -> {
            command.add(io.upcycle.config.ConfigOptions.flag(key));
            command.add(value);
        });
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public static void main(String[] args) {
        TrainerService.run(TrainCommand.config(args), task(), pretrain());
    }
}
