package io.upcycle.cli;

import io.upcycle.model.UpcycleHome;
import io.upcycle.monitor.bench.MonitorBenchmark;
import io.upcycle.monitor.bench.MonitorBenchmarkOptions;
import io.upcycle.monitor.bench.MonitorBenchmarkResult;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.stack.LocalStack;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code upcycle bench monitor}: per-example losses per second through the broker with
 * exactly_once_v2, per state store and batch size side by side (a fresh monitor per store and
 * round), and the stop latency a trainer sees, against the
 * embedded stack (started and stopped here) unless {@code --bootstrap-servers} and
 * {@code --registry-url} point at a running one. See {@link MonitorBenchmark}.
 */
final class MonitorBench implements Bench {
    private static final Set<String> KEYS = Set.of("runs", "examples", "losses", "warmup-losses", "batch-sizes",
            "state-stores", "rounds", "latency-runs", "latency-spacing-ms", "seed", "bootstrap-servers", "registry-url");

    @Override
    public String name() {
        return "monitor";
    }

    @Override
    public String summary() {
        return "losses/s end to end with exactly-once, memory vs rocksdb state (target: 5 M/s, batched) "
                + "and stop latency p50/p99 (target p99 < 200 ms)";
    }

    @Override
    public String options() {
        MonitorBenchmarkOptions d = MonitorBenchmarkOptions.defaults();
        return String.format("""
                  --runs N                  runs interleaved in each throughput stream (default %d)
                  --examples N              examples per run (default %d)
                  --losses N                per-example losses per measured stream (default %d)
                  --warmup-losses N         losses of the unmeasured warm-up stream per batch size (default %d)
                  --batch-sizes A,B         examples per losses record, measured side by side (default %s)
                  --state-stores A,B        the monitor's state.store values (%s), measured side by side:
                                            per round a fresh monitor of each, order alternating by round;
                                            the first is the default, used by the target and the stop
                                            latency (default %s)
                  --rounds N                measured rounds of every store and batch size (default %d)
                  --latency-runs N          runs crossing the stop threshold, one latency sample each (default %d)
                  --latency-spacing-ms N    pause between two runs' triggering records (default %d)
                  --seed S                  seed of the synthetic losses (default %d)
                  --bootstrap-servers H:P   a running broker (default: start the embedded stack)
                  --registry-url URL        its Confluent-compatible registry (with --bootstrap-servers)
                """, d.runs(), d.examplesPerRun(), d.losses(), d.warmupLosses(), joined(d.batchSizes()),
                String.join("|", MonitorBenchmarkOptions.STATE_STORES), String.join(",", d.stateStores()), d.rounds(),
                d.latencyRuns(), d.latencySpacingMs(), d.seed());
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
    public Map<String, Object> run(Args args, PrintStream out) throws Exception {
        validate(args);
        MonitorBenchmarkOptions options = options(args);
        Path stateDir = UpcycleHome.resolve().resolve("state").resolve("bench-monitor");
        Optional<String> bootstrap = args.get("bootstrap-servers");
        if (bootstrap.isPresent()) {
            KafkaConnection connection = new KafkaConnection(bootstrap.get(), args.get("registry-url").orElseThrow());
            out.println("stack: " + connection.bootstrapServers() + ", registry " + connection.registryUrl());
            return report(MonitorBenchmark.run(options, connection, stateDir, out), out);
        }
        out.println("stack: starting the embedded Kafka broker + schema registry on 127.0.0.1 (in this JVM, sharing its cores) ...");
        try (LocalStack stack = LocalStack.start()) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
            return report(MonitorBenchmark.run(options, connection, stateDir, out), out);
        }
    }

    private static Map<String, Object> report(MonitorBenchmarkResult result, PrintStream out) {
        out.print(MonitorBenchReport.table(result));
        return MonitorBenchReport.figures(result);
    }

    private static MonitorBenchmarkOptions options(Args args) {
        MonitorBenchmarkOptions d = MonitorBenchmarkOptions.defaults();
        List<Integer> batches = args.get("batch-sizes").map(MonitorBench::batchSizes).orElse(d.batchSizes());
        List<String> stores = args.get("state-stores").map(text -> Arrays.asList(text.split(",", -1)))
                .orElse(d.stateStores());
        return new MonitorBenchmarkOptions(args.getInt("runs", d.runs()), args.getInt("examples", d.examplesPerRun()),
                longOption(args, "losses", d.losses()), longOption(args, "warmup-losses", d.warmupLosses()), batches,
                stores, args.getInt("rounds", d.rounds()), args.getInt("latency-runs", d.latencyRuns()),
                args.getInt("latency-spacing-ms", d.latencySpacingMs()), args.getInt("seed", (int) d.seed()));
    }

    private static List<Integer> batchSizes(String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--batch-sizes must be integers separated by commas, got '" + text + "'");
        }
    }

    private static long longOption(Args args, String key, long fallback) {
        String text = args.get(key).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + text + "'");
        }
    }

    private static String joined(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
