package io.upcycle.bench.monitor;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.schemas.KafkaConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link MonitorBenchmark} measures, validated at construction.
 *
 * @param runs runs interleaved in the throughput stream (each with its own RunStarted)
 * @param runSizes each throughput run's {@code exampleCount}, measured side by side (the first is the main table's)
 * @param losses per-example losses produced per batch size and round (rounded down to whole steps of all runs)
 * @param warmupLosses losses of the unmeasured warm-up stream of each batch size
 * @param batchSizes examples per ExampleLosses record, measured side by side
 * @param stateStores the monitor's {@code state.store} values measured side by side, each on a fresh
 *     monitor per round (the first is the default: the stop latency and the target use it)
 * @param rounds measured rounds of each store and batch size, the store order alternating
 * @param latencyRuns runs that cross the stop threshold, one latency sample each, quiet and again under load
 * @param latencyWarmupRuns runs that cross it first, kept apart from the samples (a fresh monitor's one-time costs)
 * @param latencySpacingMs pause between two runs' triggering records
 * @param loadTrainers trainers fine-tuning real experts beside the monitor while the latency is measured again
 *     (0: quiet only)
 * @param seed seed of the synthetic losses
 * @param monitorSettings monitor configuration keys set on every monitor of the bench (e.g.
 *     {@code commit.interval.ms}); the keys the bench sets itself are refused
 */
public record MonitorBenchmarkOptions(int runs, List<Integer> runSizes, long losses, long warmupLosses, List<Integer> batchSizes,
                                      List<String> stateStores, int rounds, int latencyRuns, int latencyWarmupRuns, int latencySpacingMs,
                                      int loadTrainers, long seed, Map<String, String> monitorSettings) {
    public static final int DEFAULT_RUNS = 4;
    public static final int DEFAULT_EXAMPLES_PER_RUN = 8192;
    public static final long DEFAULT_LOSSES = 16_000_000L;
    public static final long DEFAULT_WARMUP_LOSSES = 2_000_000L;
    public static final List<Integer> DEFAULT_BATCH_SIZES = List.of(64, 1024);
    public static final List<String> STATE_STORES = List.of("rocksdb", "memory");
    public static final List<String> DEFAULT_STATE_STORES = STATE_STORES;
    public static final int DEFAULT_ROUNDS = 1;
    public static final int DEFAULT_LATENCY_RUNS = 100;
    public static final int DEFAULT_LATENCY_WARMUP_RUNS = 10;
    public static final int DEFAULT_LATENCY_SPACING_MS = 50;
    /** As many as the study trains at once: one expert per task. */
    public static final int DEFAULT_LOAD_TRAINERS = 4;
    public static final long DEFAULT_SEED = 42;
    /** Keys of the monitor configuration every bench monitor gets from the bench (see {@link BenchMonitor}). */
    static final Set<String> BENCH_MONITOR_KEYS = Set.of(KafkaConnection.BOOTSTRAP_SERVERS, KafkaConnection.REGISTRY_URL,
            MonitorConfigKeys.APPLICATION_ID, MonitorConfigKeys.STATE_DIR, MonitorConfigKeys.HTTP_PORT, MonitorConfigKeys.STATE_STORE);

    public MonitorBenchmarkOptions {
        atLeast("runs", runs, 1);
        runSizes = List.copyOf(runSizes);
        if (runSizes.isEmpty() || new HashSet<>(runSizes).size() != runSizes.size()) {
            throw new IllegalArgumentException("--examples needs at least one size, none twice: " + runSizes);
        }
        for (int size : runSizes) {
            atLeast("examples", size, 1);
        }
        int smallest = runSizes.stream().mapToInt(Integer::intValue).min().orElse(1);
        atLeast("rounds", rounds, 1);
        atLeast("latency-runs", latencyRuns, 0);
        atLeast("latency-warmup-runs", latencyWarmupRuns, 0);
        atLeast("latency-spacing-ms", latencySpacingMs, 0);
        atLeast("load-trainers", loadTrainers, 0);
        if (warmupLosses < 0) {
            throw new IllegalArgumentException("--warmup-losses must not be negative");
        }
        batchSizes = List.copyOf(batchSizes);
        if (batchSizes.isEmpty()) {
            throw new IllegalArgumentException("--batch-sizes needs at least one size");
        }
        for (int batch : batchSizes) {
            if (batch < 1 || batch > smallest) {
                throw new IllegalArgumentException("--batch-sizes: " + batch + " is not in 1.." + smallest + " (examples per run)");
            }
            if (losses < (long) batch * runs) {
                throw new IllegalArgumentException("--losses must cover at least one step of every run: " + batch * (long) runs);
            }
        }
        stateStores = stateStores(stateStores);
        monitorSettings = Map.copyOf(monitorSettings);
        for (String key : monitorSettings.keySet()) {
            if (BENCH_MONITOR_KEYS.contains(key)) {
                throw new IllegalArgumentException("--monitor-set: the bench sets " + key + " itself"
                        + (key.equals("state.store") ? "; use --state-stores" : ""));
            }
        }
    }

    /** The defaults. */
    public static MonitorBenchmarkOptions defaults() {
        return new MonitorBenchmarkOptions(DEFAULT_RUNS, List.of(DEFAULT_EXAMPLES_PER_RUN), DEFAULT_LOSSES, DEFAULT_WARMUP_LOSSES,
                DEFAULT_BATCH_SIZES, DEFAULT_STATE_STORES, DEFAULT_ROUNDS, DEFAULT_LATENCY_RUNS, DEFAULT_LATENCY_WARMUP_RUNS,
                DEFAULT_LATENCY_SPACING_MS, DEFAULT_LOAD_TRAINERS, DEFAULT_SEED, Map.of());
    }

    /** The first run size: the one of the main throughput table and of the ratios between stores. */
    public int examplesPerRun() {
        return runSizes.get(0);
    }

    /** Steps per run of a stream of {@code total} losses in batches of {@code batch}. */
    long stepsPerRun(long total, int batch) {
        return total / ((long) batch * runs);
    }

    /** The stores lower-cased, each one of {@link #STATE_STORES}, at least one, none twice. */
    private static List<String> stateStores(List<String> stores) {
        List<String> lower = stores.stream().map(store -> store.trim().toLowerCase(Locale.ROOT)).toList();
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("--state-stores needs at least one of " + String.join(", ", STATE_STORES));
        }
        for (String store : lower) {
            if (!STATE_STORES.contains(store)) {
                throw new IllegalArgumentException("--state-stores: '" + store + "' is not one of " + String.join(", ", STATE_STORES));
            }
        }
        if (new HashSet<>(lower).size() != lower.size()) {
            throw new IllegalArgumentException("--state-stores names a store twice: " + String.join(",", lower));
        }
        return lower;
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("--" + key + " must be at least " + min);
        }
    }
}
