package io.upcycle.bench.trainer;

import java.util.Objects;

/**
 * What {@link TrainerBenchmark} measures: a task, several rounds of one run without and one run
 * with event publishing, each {@code steps} long, after one warm-up run of each kind; then one
 * interleaved run of {@code pairs} pairs of {@code blockSteps}-step blocks, publishing and not.
 *
 * @param task the task to fine-tune (its real data, through the task catalog)
 * @param rounds rounds of one run per mode, alternating which mode goes first
 * @param steps optimizer steps per measured run
 * @param warmupSteps steps of the unmeasured warm-up run of each mode (0: none)
 * @param batchSize examples per step
 * @param seed seed of every run (same data order and head in both modes)
 * @param pairs pairs of blocks in the interleaved run (0: no interleaved run)
 * @param blockSteps steps per block of the interleaved run
 */
public record TrainerBenchmarkOptions(String task, int rounds, long steps, long warmupSteps, int batchSize, long seed,
                                      int pairs, long blockSteps) {

    /** Defaults of the command line. */
    public static final String DEFAULT_TASK = "fortune-topic-6";
    public static final int DEFAULT_ROUNDS = 3;
    /** About half a study run: a publishing run's start-up is paid once per run, as in real use. */
    public static final long DEFAULT_STEPS = 4096;
    public static final long DEFAULT_WARMUP_STEPS = 300;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_PAIRS = 32;
    /** The service's default checkpoint interval: every block then holds one checkpoint and 8 evaluations. */
    public static final long DEFAULT_BLOCK_STEPS = 256;

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
        if (pairs < 0) {
            throw new IllegalArgumentException("--pairs must be >= 0, got " + pairs);
        }
        if (blockSteps < 1) {
            throw new IllegalArgumentException("--block-steps must be >= 1, got " + blockSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
    }

    /** Unmeasured steps at the start of the interleaved run: the warm-up, rounded up to whole blocks (at least one). */
    public long interleavedWarmupSteps() {
        return Math.max(1, (warmupSteps + blockSteps - 1) / blockSteps) * blockSteps;
    }

    /** Steps of the interleaved run. */
    public long interleavedSteps() {
        return interleavedWarmupSteps() + 2L * pairs * blockSteps;
    }
}
