package io.upcycle.cli;

import io.upcycle.monitor.bench.LatencyResult;
import io.upcycle.monitor.bench.MonitorBenchmarkResult;
import io.upcycle.monitor.bench.ThroughputResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The monitor benchmark's result as a console table and as JSON-ready figures, judged against the targets. */
final class MonitorBenchReport {
    static final double TARGET_LOSSES_PER_SECOND = 5_000_000;
    static final double TARGET_P99_MS = 200;

    private MonitorBenchReport() {
    }

    static String table(MonitorBenchmarkResult r) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nthroughput, end to end through the broker (exactly_once_v2; %d runs of %,d examples; "
                + "median of %d round(s)):%n", r.options().runs(), r.options().examplesPerRun(), r.options().rounds()));
        t.append(String.format(Locale.ROOT, "%-8s %16s %14s %12s %10s%n", "batch", "losses/s", "records/s", "losses", "seconds"));
        for (int batch : r.options().batchSizes()) {
            List<ThroughputResult> rounds = r.of(batch);
            t.append(String.format(Locale.ROOT, "%-8d %,16.0f %,14.0f %,12d %10.2f%n", batch,
                    median(rounds.stream().mapToDouble(ThroughputResult::lossesPerSecond).toArray()),
                    median(rounds.stream().mapToDouble(ThroughputResult::recordsPerSecond).toArray()),
                    rounds.get(0).losses(), median(rounds.stream().mapToDouble(ThroughputResult::seconds).toArray())));
        }
        t.append(String.format(Locale.ROOT, "target >= %,.0f losses/s (batched records): %s%n", TARGET_LOSSES_PER_SECOND,
                meetsThroughput(r) ? "met" : "NOT met"));
        LatencyResult l = r.latency();
        if (l.runs() > 0) {
            t.append(String.format(Locale.ROOT, "stop latency (send of the triggering record -> read_committed watcher reads the "
                            + "decision; commit interval %d ms): %d/%d runs decided, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    r.commitIntervalMs(), l.samples(), l.runs(), l.percentile(50), l.percentile(99), l.max()));
            t.append(String.format(Locale.ROOT, "target p99 < %.0f ms: %s%n", TARGET_P99_MS, meetsLatency(l) ? "met" : "NOT met"));
        }
        return t.toString();
    }

    static Map<String, Object> figures(MonitorBenchmarkResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("runs", r.options().runs());
        f.put("examples_per_run", r.options().examplesPerRun());
        f.put("losses_per_stream", r.options().losses());
        f.put("rounds", r.options().rounds());
        f.put("commit_interval_ms", r.commitIntervalMs());
        Map<String, Object> throughput = new LinkedHashMap<>();
        for (int batch : r.options().batchSizes()) {
            List<ThroughputResult> rounds = r.of(batch);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("losses_per_second", median(rounds.stream().mapToDouble(ThroughputResult::lossesPerSecond).toArray()));
            b.put("records_per_second", median(rounds.stream().mapToDouble(ThroughputResult::recordsPerSecond).toArray()));
            b.put("losses", rounds.get(0).losses());
            b.put("records", rounds.get(0).records());
            b.put("bytes", rounds.get(0).bytes());
            List<Object> each = new ArrayList<>();
            for (ThroughputResult round : rounds) {
                each.add(Map.of("seconds", round.seconds(), "produce_seconds", round.produceSeconds(),
                        "losses_per_second", round.lossesPerSecond()));
            }
            b.put("rounds", each);
            throughput.put("batch_" + batch, b);
        }
        f.put("throughput", throughput);
        f.put("target_losses_per_second", TARGET_LOSSES_PER_SECOND);
        f.put("meets_throughput_target", meetsThroughput(r));
        LatencyResult l = r.latency();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("runs", l.runs());
        latency.put("samples", l.samples());
        latency.put("p50", l.percentile(50));
        latency.put("p99", l.percentile(99));
        latency.put("max", l.max());
        f.put("stop_latency_ms", latency);
        f.put("target_p99_ms", TARGET_P99_MS);
        f.put("meets_latency_target", l.runs() == 0 ? null : meetsLatency(l));
        return f;
    }

    /** The best batch size's median reaches the target. */
    private static boolean meetsThroughput(MonitorBenchmarkResult r) {
        return r.options().batchSizes().stream().mapToDouble(batch ->
                median(r.of(batch).stream().mapToDouble(ThroughputResult::lossesPerSecond).toArray())).max().orElse(0)
                >= TARGET_LOSSES_PER_SECOND;
    }

    /** Every run decided, and the 99th percentile under the target. */
    private static boolean meetsLatency(LatencyResult l) {
        return l.samples() == l.runs() && l.percentile(99) < TARGET_P99_MS;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
