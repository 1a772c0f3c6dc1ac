package io.upcycle.monitor.bench;

import io.upcycle.monitor.GroupProgress;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code upcycle bench monitor}: the monitor (Kafka Streams, exactly_once_v2, its default policy)
 * against a real broker and registry, measured end to end. A fresh application id starts at the
 * inputs' current end, so what older runs left on the topics is not counted. Its local state is
 * deleted afterwards; on a running stack its internal topics (changelog) stay.
 *
 * <ul>
 *   <li>Throughput: a {@link SyntheticStream} per batch size (pre-encoded, then produced as fast as
 *       the producer goes), from the first losses record sent until the monitor's group has
 *       committed offsets covering the last one ({@link GroupProgress}); batch sizes alternate, each
 *       after one unmeasured warm-up stream.</li>
 *   <li>Stop latency: see {@link StopLatency}, on the same (warm) monitor once the streams are done.</li>
 * </ul>
 */
public final class MonitorBenchmark {

    private MonitorBenchmark() {
    }

    /** Runs the benchmark, printing progress to {@code out}; the monitor's local state goes under {@code stateDir}. */
    public static MonitorBenchmarkResult run(MonitorBenchmarkOptions options, KafkaConnection connection, Path stateDir,
                                             PrintStream out) throws Exception {
        String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        String applicationId = "upcycle-bench-monitor-" + prefix;
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        Path state = stateDir.resolve(prefix);
        MonitorConfig config = MonitorConfig.from(Map.of(KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, connection.registryUrl(), MonitorConfigKeys.APPLICATION_ID, applicationId,
                MonitorConfigKeys.STATE_DIR, state.toString(), MonitorConfigKeys.HTTP_PORT, "-1"));
        try {
            return run(options, connection, topics, config, prefix, out);
        } finally {
            deleteRecursively(state);
        }
    }

    private static MonitorBenchmarkResult run(MonitorBenchmarkOptions options, KafkaConnection connection, Topics topics,
                                              MonitorConfig config, String prefix, PrintStream out) throws Exception {
        String applicationId = config.applicationId();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            GroupProgress progress = new GroupProgress(admin, applicationId);
            progress.startAt(progress.ends(List.of(Topics.RUNS, Topics.EXAMPLE_LOSSES, Topics.CHECKPOINTS, Topics.STEP_METRICS)));
            out.printf(Locale.ROOT, "monitor: application id %s, exactly_once_v2, commit interval %d ms, policy %s %s%n",
                    applicationId, config.commitIntervalMs(), config.policy().name(), config.policy().parameters());
            try (MonitorService monitor = MonitorService.start(config)) {
                if (!monitor.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the monitor did not reach RUNNING within 120 s (state " + monitor.state() + ")");
                }
                Throughput throughput = new Throughput(connection, topics, progress, monitor, options, out);
                long t0 = System.currentTimeMillis();
                for (int batch : options.batchSizes()) {
                    if (options.stepsPerRun(options.warmupLosses(), batch) > 0) {
                        throughput.measure(prefix + "-warmup-b" + batch, batch, options.warmupLosses(), 0, t0);
                    }
                }
                List<ThroughputResult> results = new ArrayList<>();
                for (int round = 1; round <= options.rounds(); round++) {
                    for (int batch : options.batchSizes()) {
                        results.add(throughput.measure(prefix + "-b" + batch + "-" + round, batch, options.losses(), round, t0));
                    }
                }
                LatencyResult latency = new LatencyResult(new double[0], 0);
                if (options.latencyRuns() > 0) {
                    out.printf(Locale.ROOT, "stop latency: %d runs crossing the threshold at step %d, %d ms apart ...%n",
                            options.latencyRuns(), StopLatency.TRIGGER_STEP, options.latencySpacingMs());
                    latency = StopLatency.measure(connection, topics, progress, prefix, options.latencyRuns(),
                            options.latencySpacingMs(), System.currentTimeMillis());
                }
                return new MonitorBenchmarkResult(options, results, latency, config.commitIntervalMs());
            }
        }
    }

    /** The monitor's local state (RocksDB) is of no use after the benchmark. */
    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
