package io.upcycle.bench.trainer;

import io.upcycle.bench.Bench;
import io.upcycle.schemas.KafkaConnectionOptions;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upcycle bench trainer}: step time with event publishing off and on, alternated in one run,
 * on the task's real data and the real base, against a real broker and registry: the embedded
 * stack, started and stopped here, unless {@code --bootstrap-servers} and {@code --schema-registry-url}
 * (or their environment variables) point at a running one.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Step time with event publishing off and on (target: under 2%% more), losses/s, bytes, memory.")
public final class TrainerBench extends Bench {
    @Option(names = "--task", paramLabel = "NAME", description = "task whose real data is trained (default: ${DEFAULT-VALUE})")
    String task = TrainerBenchmarkOptions.DEFAULT_TASK;
    @Option(names = "--rounds", paramLabel = "N", description = "rounds of one run per mode, alternating (default: ${DEFAULT-VALUE})")
    int rounds = TrainerBenchmarkOptions.DEFAULT_ROUNDS;
    @Option(names = "--steps", paramLabel = "N", description = "steps per measured run (default: ${DEFAULT-VALUE})")
    long steps = TrainerBenchmarkOptions.DEFAULT_STEPS;
    @Option(names = "--warmup-steps", paramLabel = "N", description = "steps of the unmeasured warm-up run of each mode"
            + " (default: ${DEFAULT-VALUE})")
    long warmupSteps = TrainerBenchmarkOptions.DEFAULT_WARMUP_STEPS;
    @Option(names = "--batch-size", paramLabel = "N", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize = TrainerBenchmarkOptions.DEFAULT_BATCH_SIZE;
    @Option(names = "--seed", paramLabel = "S", description = "seed of every run (default: ${DEFAULT-VALUE})")
    long seed = TrainerBenchmarkOptions.DEFAULT_SEED;
    @Option(names = "--pairs", paramLabel = "N", description = "pairs of blocks in the interleaved run, which decides the target"
            + " (default: ${DEFAULT-VALUE}; 0: no interleaved run)")
    int pairs = TrainerBenchmarkOptions.DEFAULT_PAIRS;
    @Option(names = "--block-steps", paramLabel = "N", description = "steps per block of the interleaved run (default: ${DEFAULT-VALUE})")
    long blockSteps = TrainerBenchmarkOptions.DEFAULT_BLOCK_STEPS;
    @Mixin
    KafkaConnectionOptions stack;

    @Override
    protected void validate() {
        options();
        stack.given();
    }

    @Override
    protected Map<String, Object> measure(PrintStream out) throws Exception {
        TrainerBenchmarkOptions options = options();
        return onStack(stack, out, connection -> report(TrainerBenchmark.run(options, connection, out), out));
    }

    private TrainerBenchmarkOptions options() {
        return new TrainerBenchmarkOptions(task, rounds, steps, warmupSteps, batchSize, seed, pairs, blockSteps);
    }

    private static Map<String, Object> report(TrainerBenchmarkResult result, PrintStream out) {
        out.print(TrainerBenchReport.table(result));
        return TrainerBenchReport.figures(result);
    }
}
