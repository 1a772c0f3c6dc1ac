package io.upcycle.trainer;

import io.upcycle.config.ConfigOptions;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * The config of a run of {@code steps} on {@link #task()} publishing to {@code stack}, with its
     * home in {@code home}: batch 32, seed 5, no evaluation, a checkpoint every 250 steps, a one-epoch
     * base. Mutable, for a test's own keys.
     */
    static Map<String, String> syntheticRun(String runId, long steps, StackEndpoints stack, Path home) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("task", "synthetic-task");
        config.put("run.id", runId);
        config.put("steps", Long.toString(steps));
        config.put("batch.size", "32");
        config.put("seed", "5");
        config.put("eval.every", "0");
        config.put("checkpoint.every", "250");
        config.put("base.epochs", "1");
        config.put("bootstrap.servers", stack.bootstrapServers());
        config.put("schema.registry.url", stack.registryUrl());
        config.put("home", home.toString());
        return config;
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
