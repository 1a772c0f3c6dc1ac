package io.upcycle.bench.monitor;

import io.upcycle.files.FileTrees;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code upcycle bench monitor}: the monitor (Kafka Streams, exactly_once_v2, its default policy)
 * against a real broker and registry, measured end to end, for each {@code state.store} asked for
 * side by side. Every monitor is fresh: its own application id, whose group starts at the inputs'
 * current end (so what earlier monitors and older runs left on the topics is not counted), and its
 * own local state folder, deleted when it closes; on a running stack its internal topics
 * (changelog) stay.
 *
 * <ul>
 *   <li>Throughput, per round: for each store, in the order asked for in odd rounds and reversed in
 *       even ones (so that neither always goes first), a fresh monitor of that store runs one
 *       unmeasured warm-up stream per batch size, then a measured {@link SyntheticStream} per batch
 *       size (pre-encoded, then produced as fast as the producer goes), timed from the first losses
 *       record sent until the monitor has applied the last step of every run (and, noted apart,
 *       until its group has committed offsets covering the last record,
 *       {@link io.upcycle.monitor.GroupProgress}); then it is closed. The stores of a round run
 *       back to back: compare them by their per-round ratios ({@link MonitorBenchmarkResult#ratios}).</li>
 *   <li>Stop latency: at the end, see {@link StopLatency}, on a fresh monitor of the first store
 *       (the default): quiet, then again on the same monitor with {@code loadTrainers} trainers
 *       fine-tuning real experts beside it ({@link TrainingLoad}), their events flowing through it.</li>
 * </ul>
 */
public final class MonitorBenchmark {

    private MonitorBenchmark() {
    }

    /** Runs the benchmark, printing progress to {@code out}; the monitors' local state goes under {@code stateDir}. */
    public static MonitorBenchmarkResult run(MonitorBenchmarkOptions options, KafkaConnection connection, Path stateDir,
                                             PrintStream out) throws Exception {
        String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        Path state = stateDir.resolve(prefix);
        try {
            List<ThroughputResult> results = new ArrayList<>();
            long commitIntervalMs = 0;
            for (int round = 1; round <= options.rounds(); round++) {
                for (String store : roundOrder(options.stateStores(), round)) {
                    String name = prefix + "-" + store + "-r" + round;
                    try (BenchMonitor monitor = BenchMonitor.start(connection, "upcycle-bench-monitor-" + name, store,
                            state.resolve(store + "-r" + round), options.monitorSettings(), out)) {
                        commitIntervalMs = monitor.config.commitIntervalMs();
                        results.addAll(throughput(options, connection, topics, monitor, name, round, out));
                    }
                }
            }
            LatencyResult quiet = LatencyResult.none();
            LatencyResult loaded = LatencyResult.none();
            if (options.latencyRuns() > 0) {
                String store = options.stateStores().get(0);
                String name = prefix + "-" + store + "-latency";
                try (BenchMonitor monitor = BenchMonitor.start(connection, "upcycle-bench-monitor-" + name, store,
                        state.resolve(store + "-latency"), options.monitorSettings(), out)) {
                    quiet = latency(options, connection, topics, monitor, name + "-quiet", "quiet", out);
                    if (options.loadTrainers() > 0) {
                        try (TrainingLoad load = TrainingLoad.start(connection, name, options.loadTrainers(), out)) {
                            LatencyResult samples = latency(options, connection, topics, monitor, name + "-loaded",
                                    load.trainers() + " trainers training beside it", out);
                            load.requireTraining();
                            loaded = samples.underLoad(load.trainers(), load.stepsPerSecond());
                        }
                    }
                }
            }
            return new MonitorBenchmarkResult(options, results, quiet, loaded, commitIntervalMs);
        } finally {
            FileTrees.delete(state);
        }
    }

    private static LatencyResult latency(MonitorBenchmarkOptions options, KafkaConnection connection, Topics topics,
                                         BenchMonitor monitor, String name, String condition, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "stop latency (state store %s, %s): %d + %d warm-up runs crossing the threshold at step %d, "
                        + "%d ms apart ...%n", monitor.store, condition, options.latencyRuns(), options.latencyWarmupRuns(),
                StopLatency.TRIGGER_STEP, options.latencySpacingMs());
        return StopLatency.measure(connection, topics, monitor.progress, name, options.latencyWarmupRuns(),
                options.latencyRuns(), options.latencySpacingMs(), System.currentTimeMillis());
    }

    /**
     * {@code items} (stores, run sizes) in the order asked for in odd rounds, reversed in even ones,
     * so that none always goes first on a fresh monitor and JVM.
     */
    static <T> List<T> roundOrder(List<T> items, int round) {
        List<T> order = new ArrayList<>(items);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /**
     * Per run size (in {@link #roundOrder}): one warm-up stream per batch size (unmeasured), then one
     * measured stream per batch size.
     */
    private static List<ThroughputResult> throughput(MonitorBenchmarkOptions options, KafkaConnection connection,
                                                     Topics topics, BenchMonitor monitor, String name, int round,
                                                     PrintStream out) throws Exception {
        Throughput throughput = new Throughput(connection, topics, monitor.progress, monitor.service, monitor.store,
                options, out);
        long t0 = System.currentTimeMillis();
        List<ThroughputResult> results = new ArrayList<>();
        for (int examples : roundOrder(options.runSizes(), round)) {
            String sized = options.runSizes().size() == 1 ? name : name + "-e" + examples;
            for (int batch : options.batchSizes()) {
                if (options.stepsPerRun(options.warmupLosses(), batch) > 0) {
                    throughput.measure(sized + "-warmup-b" + batch, examples, batch, options.warmupLosses(), 0, t0);
                }
            }
            for (int batch : options.batchSizes()) {
                results.add(throughput.measure(sized + "-b" + batch, examples, batch, options.losses(), round, t0));
            }
        }
        return results;
    }
}
