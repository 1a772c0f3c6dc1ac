package io.upcycle.trainer.bench;

import java.util.Objects;

/**
 * What {@link TrainerBenchmark} measures: a task, several rounds of one run without and one run
 * with event publishing, each {@code steps} long, after one warm-up run of each kind.
 *
 * @param task the task to fine-tune (its real data, through the task catalog)
 * @param rounds rounds of one run per mode, alternating which mode goes first
 * @param steps optimizer steps per measured run
 * @param warmupSteps steps of the unmeasured warm-up run of each mode (0: none)
 * @param batchSize examples per step
 * @param seed seed of every run (same data order and head in both modes)
 */
public record TrainerBenchmarkOptions(String task, int rounds, long steps, long warmupSteps, int batchSize, long seed) {

    /** Defaults of the command line. */
    public static final String DEFAULT_TASK = "fortune-topic-6";
    public static final int DEFAULT_ROUNDS = 5;
    public static final long DEFAULT_STEPS = 1000;
    public static final long DEFAULT_WARMUP_STEPS = 300;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final long DEFAULT_SEED = 1;

    public TrainerBenchmarkOptions {
        Objects.requireNonNull(task, "task");
        if (task.isBlank()) {
            throw new IllegalArgumentException("--task must name a task");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("--warmup-steps must be >= 0, got " + warmupSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
    }
}
