package io.upcycle.cli;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.stack.LocalStack;
import io.upcycle.trainer.bench.TrainerBenchmark;
import io.upcycle.trainer.bench.TrainerBenchmarkOptions;
import io.upcycle.trainer.bench.TrainerBenchmarkResult;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code upcycle bench trainer}: step time with event publishing off and on, alternated in one run,
 * on the task's real data and the real base, against a real broker and registry: the embedded
 * stack, started and stopped here, unless {@code --bootstrap-servers} and {@code --registry-url}
 * point at a running one.
 */
final class TrainerBench implements Bench {
    private static final Set<String> KEYS = Set.of("task", "rounds", "steps", "warmup-steps", "batch-size", "seed",
            "pairs", "block-steps", "bootstrap-servers", "registry-url");

    @Override
    public String name() {
        return "trainer";
    }

    @Override
    public String summary() {
        return "step time with event publishing off and on (target: under 2% more), losses/s, bytes, memory";
    }

    @Override
    public String options() {
        return String.format("""
                  --task NAME               task whose real data is trained (default %s)
                  --rounds N                rounds of one run per mode, alternating (default %d)
                  --steps N                 steps per measured run (default %d)
                  --warmup-steps N          steps of the unmeasured warm-up run of each mode (default %d)
                  --batch-size N            examples per step (default %d)
                  --seed S                  seed of every run (default %d)
                  --pairs N                 pairs of blocks in the interleaved run, which decides the
                                            target (default %d; 0: no interleaved run)
                  --block-steps N           steps per block of the interleaved run (default %d)
                  --bootstrap-servers H:P   a running broker (default: start the embedded stack)
                  --registry-url URL        its Confluent-compatible registry (with --bootstrap-servers)
                """, TrainerBenchmarkOptions.DEFAULT_TASK, TrainerBenchmarkOptions.DEFAULT_ROUNDS,
                TrainerBenchmarkOptions.DEFAULT_STEPS, TrainerBenchmarkOptions.DEFAULT_WARMUP_STEPS,
                TrainerBenchmarkOptions.DEFAULT_BATCH_SIZE, TrainerBenchmarkOptions.DEFAULT_SEED,
                TrainerBenchmarkOptions.DEFAULT_PAIRS, TrainerBenchmarkOptions.DEFAULT_BLOCK_STEPS);
    }

    @Override
    public Set<String> keys() {
        return KEYS;
    }

    @Override
    public void validate(Args args) {
        options(args);
        if (args.get("bootstrap-servers").isPresent() != args.get("registry-url").isPresent()) {
            throw new IllegalArgumentException("give both --bootstrap-servers and --registry-url, or neither (embedded stack)");
        }
    }

    @Override
    public Map<String, Object> run(Args args, PrintStream out) {
        validate(args);
        TrainerBenchmarkOptions options = options(args);
        Optional<String> bootstrap = args.get("bootstrap-servers");
        if (bootstrap.isPresent()) {
            KafkaConnection connection = new KafkaConnection(bootstrap.get(), args.get("registry-url").orElseThrow());
            out.println("stack: " + connection.bootstrapServers() + ", registry " + connection.registryUrl());
            return report(TrainerBenchmark.run(options, connection, out), out);
        }
        out.println("stack: starting the embedded Kafka broker + schema registry on 127.0.0.1 (in this JVM) ...");
        try (LocalStack stack = LocalStack.start()) {
            return report(TrainerBenchmark.run(options, new KafkaConnection(stack.bootstrapServers(), stack.registryUrl()), out), out);
        }
    }

    private static TrainerBenchmarkOptions options(Args args) {
        return new TrainerBenchmarkOptions(args.get("task", TrainerBenchmarkOptions.DEFAULT_TASK),
                args.getInt("rounds", TrainerBenchmarkOptions.DEFAULT_ROUNDS),
                args.getInt("steps", (int) TrainerBenchmarkOptions.DEFAULT_STEPS),
                args.getInt("warmup-steps", (int) TrainerBenchmarkOptions.DEFAULT_WARMUP_STEPS),
                args.getInt("batch-size", TrainerBenchmarkOptions.DEFAULT_BATCH_SIZE),
                args.getInt("seed", (int) TrainerBenchmarkOptions.DEFAULT_SEED),
                args.getInt("pairs", TrainerBenchmarkOptions.DEFAULT_PAIRS),
                args.getInt("block-steps", (int) TrainerBenchmarkOptions.DEFAULT_BLOCK_STEPS));
    }

    private static Map<String, Object> report(TrainerBenchmarkResult result, PrintStream out) {
        out.print(TrainerBenchReport.table(result));
        return TrainerBenchReport.figures(result);
    }
}
