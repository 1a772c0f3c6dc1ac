package io.upcycle.bench.monitor;

import io.upcycle.files.UpcycleHome;
import io.upcycle.bench.Bench;
import io.upcycle.schemas.KafkaConnectionOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upcycle bench monitor}: per-example losses per second through the broker with
 * exactly_once_v2, per state store and batch size side by side (a fresh monitor per store and
 * round), and the stop latency a trainer sees, against the
 * embedded stack (started and stopped here) unless {@code --bootstrap-servers} and
 * {@code --schema-registry-url} point at a running one. See {@link MonitorBenchmark}.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Losses/s end to end with exactly-once, memory vs rocksdb state (target: 5 M/s, batched) and stop latency"
                + " p50/p99, quiet and with trainers training beside it (targets: p99 < 150 ms quiet, < 300 ms loaded).")
public final class MonitorBench extends Bench {
    @Option(names = "--runs", paramLabel = "N", description = "runs interleaved in each throughput stream (default: ${DEFAULT-VALUE})")
    int runs = MonitorBenchmarkOptions.DEFAULT_RUNS;
    @Option(names = "--examples", split = ",", paramLabel = "N,M", description = "examples per run; several sizes are measured"
            + " side by side on each round's monitor (order reversed in even rounds), each against the first, as a table"
            + " (default: ${DEFAULT-VALUE})")
    List<Integer> examples = List.of(MonitorBenchmarkOptions.DEFAULT_EXAMPLES_PER_RUN);
    @Option(names = "--losses", paramLabel = "N", converter = Underscored.class,
            description = "per-example losses per measured stream (default: ${DEFAULT-VALUE})")
    long losses = MonitorBenchmarkOptions.DEFAULT_LOSSES;
    @Option(names = "--warmup-losses", paramLabel = "N", converter = Underscored.class,
            description = "losses of the unmeasured warm-up stream per batch size (default: ${DEFAULT-VALUE})")
    long warmupLosses = MonitorBenchmarkOptions.DEFAULT_WARMUP_LOSSES;
    @Option(names = "--batch-sizes", split = ",", paramLabel = "A,B", description = "examples per losses record, measured side by"
            + " side (default: 64,1024)")
    List<Integer> batchSizes = MonitorBenchmarkOptions.DEFAULT_BATCH_SIZES;
    @Option(names = "--state-stores", paramLabel = "A,B", description = "the monitor's"
            + " state.store values (rocksdb|memory), measured side by side: per round a fresh monitor of each, order alternating"
            + " by round; the first is the default, used by the target and the stop latency (default: rocksdb,memory)")
    String stateStores = String.join(",", MonitorBenchmarkOptions.DEFAULT_STATE_STORES);
    @Option(names = "--rounds", paramLabel = "N", description = "measured rounds of every store and batch size (default: ${DEFAULT-VALUE})")
    int rounds = MonitorBenchmarkOptions.DEFAULT_ROUNDS;
    @Option(names = "--latency-runs", paramLabel = "N", description = "runs crossing the stop threshold, one latency sample each"
            + " (default: ${DEFAULT-VALUE})")
    int latencyRuns = MonitorBenchmarkOptions.DEFAULT_LATENCY_RUNS;
    @Option(names = "--latency-warmup-runs", paramLabel = "N", description = "runs crossing it first, reported apart: a fresh"
            + " monitor's first decisions pay one-time costs (default: ${DEFAULT-VALUE})")
    int latencyWarmupRuns = MonitorBenchmarkOptions.DEFAULT_LATENCY_WARMUP_RUNS;
    @Option(names = "--latency-spacing-ms", paramLabel = "N", description = "pause between two runs' triggering records"
            + " (default: ${DEFAULT-VALUE})")
    int latencySpacingMs = MonitorBenchmarkOptions.DEFAULT_LATENCY_SPACING_MS;
    @Option(names = "--load-trainers", paramLabel = "N", description = "trainers fine-tuning real experts (the study's tasks)"
            + " beside the monitor while the stop latency is measured again, loaded; 0 measures it quiet only"
            + " (default: ${DEFAULT-VALUE})")
    int loadTrainers = MonitorBenchmarkOptions.DEFAULT_LOAD_TRAINERS;
    @Option(names = "--monitor-set", paramLabel = "KEY=VALUE", description = "a monitor configuration key for every monitor"
            + " of the bench, e.g. commit.interval.ms=100 (repeatable; upcycle keys lists them)")
    Map<String, String> monitorSettings = new LinkedHashMap<>();
    @Option(names = "--seed", paramLabel = "S", description = "seed of the synthetic losses (default: ${DEFAULT-VALUE})")
    long seed = MonitorBenchmarkOptions.DEFAULT_SEED;
    @Mixin
    KafkaConnectionOptions stack;

    @Override
    protected void validate() {
        options();
        stack.given();
    }

    @Override
    protected Map<String, Object> measure(PrintStream out) throws Exception {
        MonitorBenchmarkOptions options = options();
        Path stateDir = UpcycleHome.resolve().resolve("state").resolve("bench-monitor");
        return onStack(stack, out, connection -> report(MonitorBenchmark.run(options, connection, stateDir, out), out));
    }

    private MonitorBenchmarkOptions options() {
        return new MonitorBenchmarkOptions(runs, examples, losses, warmupLosses, batchSizes,
                Arrays.asList(stateStores.split(",", -1)), rounds, latencyRuns, latencyWarmupRuns,
                latencySpacingMs, loadTrainers, seed, monitorSettings);
    }

    /** A whole number that may group its digits with underscores, as Java does: 16_000_000. */
    static final class Underscored implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return Long.parseLong(text.replace("_", ""));
        }
    }

    private static Map<String, Object> report(MonitorBenchmarkResult result, PrintStream out) {
        out.print(MonitorBenchReport.table(result));
        return MonitorBenchReport.figures(result);
    }
}
