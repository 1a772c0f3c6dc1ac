package io.upcycle.trainer;

import io.upcycle.config.ConfigOptions;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.testing.ChildJvm;
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
        List<String> args = new ArrayList<>();
        config.forEach((key, value) -> {
            args.add(ConfigOptions.flag(key));
            args.add(value);
        });
        return ChildJvm.start(TrainerChild.class, "1g", args, log);
    }


    public static void main(String[] args) {
        TrainerService.run(TrainCommand.config(args), task(), pretrain());
    }
}
