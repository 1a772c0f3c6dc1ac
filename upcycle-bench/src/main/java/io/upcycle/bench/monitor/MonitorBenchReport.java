package io.upcycle.bench.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The monitor benchmark's result as a console table and as JSON-ready figures, judged against the
 * issue's targets on the default (first) state store. With two stores it adds, per batch size, the
 * second's losses/s over the first's in every round and their median: the stores of a round run
 * back to back, so these ratios compare them where rates measured at different times would not.
 */
final class MonitorBenchReport {
    static final double TARGET_LOSSES_PER_SECOND = 5_000_000;
    static final double TARGET_P99_MS = 150;
    static final double TARGET_LOADED_P99_MS = 300;

    private MonitorBenchReport() {
    }

    static String table(MonitorBenchmarkResult r) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nthroughput, end to end through the broker (exactly_once_v2; first send to the monitor "
                + "applying the last record; %d runs of %,d examples; a fresh monitor per state store and round, store order "
                + "alternating; median of %d round(s)):%n",
                r.options().runs(), r.options().examplesPerRun(), r.options().rounds()));
        t.append(String.format(Locale.ROOT, "%-8s %-8s %16s %14s %12s %10s%n", "store", "batch", "losses/s", "records/s", "losses",
                "seconds"));
        for (String store : r.options().stateStores()) {
            for (int batch : r.options().batchSizes()) {
                List<ThroughputResult> rounds = r.of(store, batch);
                t.append(String.format(Locale.ROOT, "%-8s %-8d %,16.0f %,14.0f %,12d %10.2f%n", store, batch,
                        lossesPerSecond(r, store, batch),
                        median(rounds.stream().mapToDouble(ThroughputResult::recordsPerSecond).toArray()),
                        rounds.get(0).losses(), median(rounds.stream().mapToDouble(ThroughputResult::seconds).toArray())));
            }
        }
        ratioPair(r).ifPresent(pair -> {
            for (int batch : r.options().batchSizes()) {
                List<Double> ratios = r.ratios(pair.get(1), pair.get(0), batch);
                t.append(String.format(Locale.ROOT, "%s/%s losses/s at batch %d: %.2f (rounds: %s)%n", pair.get(1), pair.get(0),
                        batch, median(ratios), listed(ratios)));
            }
        });
        if (r.options().runSizes().size() > 1) {
            t.append(bySize(r));
        }
        t.append(String.format(Locale.ROOT, "target >= %,.0f losses/s (batched records, state store %s): %s%n",
                TARGET_LOSSES_PER_SECOND, defaultStore(r), meetsThroughput(r) ? "met" : "NOT met"));
        t.append(latencyLine(r, r.latency(), TARGET_P99_MS));
        t.append(latencyLine(r, r.loadedLatency(), TARGET_LOADED_P99_MS));
        return t.toString();
    }

    static Map<String, Object> figures(MonitorBenchmarkResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("runs", r.options().runs());
        f.put("examples_per_run", r.options().examplesPerRun());
        f.put("run_sizes", r.options().runSizes());
        f.put("losses_per_stream", r.options().losses());
        f.put("rounds", r.options().rounds());
        f.put("state_stores", r.options().stateStores());
        f.put("commit_interval_ms", r.commitIntervalMs());
        Map<String, Object> throughput = new LinkedHashMap<>();
        for (String store : r.options().stateStores()) {
            Map<String, Object> batches = new LinkedHashMap<>();
            for (int batch : r.options().batchSizes()) {
                batches.put("batch_" + batch, throughput(r, store, batch));
            }
            throughput.put(store, batches);
        }
        f.put("throughput", throughput);
        if (r.options().runSizes().size() > 1) {
            f.put("throughput_by_run_size", bySizeFigures(r));
        }
        ratioPair(r).ifPresent(pair -> {
            Map<String, Object> batches = new LinkedHashMap<>();
            for (int batch : r.options().batchSizes()) {
                List<Double> ratios = r.ratios(pair.get(1), pair.get(0), batch);
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("median", median(ratios));
                b.put("rounds", ratios);
                batches.put("batch_" + batch, b);
            }
            f.put("losses_per_second_ratio", Map.of(pair.get(1) + "/" + pair.get(0), batches));
        });
        f.put("target_losses_per_second", TARGET_LOSSES_PER_SECOND);
        f.put("target_state_store", defaultStore(r));
        f.put("meets_throughput_target", meetsThroughput(r));
        f.put("stop_latency_ms", latencyFigures(r, r.latency()));
        f.put("target_p99_ms", TARGET_P99_MS);
        if (r.loadedLatency().runs() > 0) {
            f.put("stop_latency_loaded_ms", latencyFigures(r, r.loadedLatency()));
            f.put("target_loaded_p99_ms", TARGET_LOADED_P99_MS);
        }
        f.put("meets_latency_target", r.latency().runs() == 0 ? null : meetsLatency(r.latency(), TARGET_P99_MS)
                && (r.loadedLatency().runs() == 0 || meetsLatency(r.loadedLatency(), TARGET_LOADED_P99_MS)));
        return f;
    }

    /** The latency's line and its target's, or nothing when it was not measured. */
    private static String latencyLine(MonitorBenchmarkResult r, LatencyResult l, double target) {
        if (l.runs() == 0) {
            return "";
        }
        String condition = l.trainers() == 0 ? "quiet" : String.format(Locale.ROOT,
                "%d trainers training beside it, %.0f steps/s together", l.trainers(), l.loadStepsPerSecond());
        return String.format(Locale.ROOT, "stop latency (state store %s, %s; send of the triggering record -> read_committed "
                        + "watcher reads the decision; commit interval %d ms): %d/%d runs decided, p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms; the %d warm-up runs before them: max %.1f ms%n", r.latencyStore(), condition,
                r.commitIntervalMs(), l.samples(), l.runs(), l.percentile(50), l.percentile(99), l.max(),
                l.warmupMillis().length, l.warmupMax())
                + String.format(Locale.ROOT, "target p99 < %.0f ms (%s): %s%n", target, l.trainers() == 0 ? "quiet" : "loaded",
                meetsLatency(l, target) ? "met" : "NOT met");
    }

    private static Map<String, Object> latencyFigures(MonitorBenchmarkResult r, LatencyResult l) {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("state_store", r.latencyStore());
        latency.put("trainers", l.trainers());
        if (l.trainers() > 0) {
            latency.put("load_steps_per_second", l.loadStepsPerSecond());
        }
        latency.put("runs", l.runs());
        latency.put("samples", l.samples());
        latency.put("p50", l.percentile(50));
        latency.put("p99", l.percentile(99));
        latency.put("max", l.max());
        latency.put("warmup_runs", l.warmupMillis().length);
        latency.put("warmup_max", l.warmupMax());
        return latency;
    }

    /** Losses/s per run size (rows) and batch size, each store, with the ratio to the first size's. */
    private static String bySize(MonitorBenchmarkResult r) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%nlosses/s by examples per run (median of %d round(s); "
                + "ratio: to %,d examples; B/loss: bytes the monitor sent to its changelogs per loss; CPU: ns of this process's "
                + "CPU time per loss, then the monitor's stream thread's, each with its ratio to the first size's):%n",
                r.options().rounds(),
                r.options().examplesPerRun()));
        t.append(String.format(Locale.ROOT, "%-8s %12s", "store", "examples"));
        r.options().batchSizes().forEach(batch -> t.append(String.format(Locale.ROOT, " %16s %7s %7s %9s %6s %9s %6s",
                "batch " + batch, "ratio", "B/loss", "CPU", "ratio", "stream", "ratio")));
        t.append(String.format("%n"));
        for (String store : r.options().stateStores()) {
            for (int examples : r.options().runSizes()) {
                t.append(String.format(Locale.ROOT, "%-8s %,12d", store, examples));
                for (int batch : r.options().batchSizes()) {
                    t.append(String.format(Locale.ROOT, " %,16.0f %7.2f %7.2f %,9.0f %6.2f %,9.0f %6.2f",
                            lossesPerSecond(r, store, examples, batch),
                            toFirstSize(r, store, examples, batch, ThroughputResult::lossesPerSecond),
                            changelogBytesPerLoss(r, store, examples, batch),
                            median(r, store, examples, batch, ThroughputResult::cpuNanosPerLoss),
                            toFirstSize(r, store, examples, batch, ThroughputResult::cpuNanosPerLoss),
                            median(r, store, examples, batch, ThroughputResult::streamThreadNanosPerLoss),
                            toFirstSize(r, store, examples, batch, ThroughputResult::streamThreadNanosPerLoss)));
                }
                t.append(String.format("%n"));
            }
        }
        for (String store : r.options().stateStores()) {
            for (int examples : r.options().runSizes().subList(1, r.options().runSizes().size())) {
                for (int batch : r.options().batchSizes()) {
                    List<Double> ratios = r.sizeRatios(store, examples, batch);
                    t.append(String.format(Locale.ROOT, "%s, %,d over %,d examples at batch %d, round by round: median %.2f "
                                    + "(rounds: %s)%n", store, examples, r.options().examplesPerRun(), batch, median(ratios),
                            listed(ratios)));
                }
            }
        }
        return t.toString();
    }

    private static Map<String, Object> bySizeFigures(MonitorBenchmarkResult r) {
        Map<String, Object> stores = new LinkedHashMap<>();
        for (String store : r.options().stateStores()) {
            Map<String, Object> sizes = new LinkedHashMap<>();
            for (int examples : r.options().runSizes()) {
                Map<String, Object> batches = new LinkedHashMap<>();
                for (int batch : r.options().batchSizes()) {
                    List<Double> ratios = r.sizeRatios(store, examples, batch);
                    batches.put("batch_" + batch, Map.of("losses_per_second", lossesPerSecond(r, store, examples, batch),
                            "ratio_to_first_size", toFirstSize(r, store, examples, batch, ThroughputResult::lossesPerSecond),
                            "round_ratios_to_first_size", ratios, "median_round_ratio", median(ratios),
                            "changelog_bytes_per_loss", changelogBytesPerLoss(r, store, examples, batch),
                            "cpu_ns_per_loss", median(r, store, examples, batch, ThroughputResult::cpuNanosPerLoss),
                            "stream_thread_ns_per_loss", median(r, store, examples, batch, ThroughputResult::streamThreadNanosPerLoss)));
                }
                sizes.put("examples_" + examples, batches);
            }
            stores.put(store, sizes);
        }
        return stores;
    }

    private static Map<String, Object> throughput(MonitorBenchmarkResult r, String store, int batch) {
        List<ThroughputResult> rounds = r.of(store, batch);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("losses_per_second", lossesPerSecond(r, store, batch));
        b.put("records_per_second", median(rounds.stream().mapToDouble(ThroughputResult::recordsPerSecond).toArray()));
        b.put("losses", rounds.get(0).losses());
        b.put("records", rounds.get(0).records());
        b.put("bytes", rounds.get(0).bytes());
        List<Object> each = new ArrayList<>();
        for (ThroughputResult round : rounds) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("round", round.round());
            one.put("seconds", round.seconds());
            one.put("produce_seconds", round.produceSeconds());
            one.put("committed_seconds", round.committedSeconds());
            one.put("losses_per_second", round.lossesPerSecond());
            one.put("changelog_bytes", round.changelogBytes());
            one.put("cpu_seconds", round.cpuSeconds());
            one.put("stream_thread_cpu_seconds", round.streamThreadCpuSeconds());
            each.add(one);
        }
        b.put("rounds", each);
        return b;
    }

    /** The first and second store, when exactly two were measured. */
    private static Optional<List<String>> ratioPair(MonitorBenchmarkResult r) {
        List<String> stores = r.options().stateStores();
        return stores.size() == 2 ? Optional.of(stores) : Optional.empty();
    }

    private static String defaultStore(MonitorBenchmarkResult r) {
        return r.options().stateStores().get(0);
    }

    private static double lossesPerSecond(MonitorBenchmarkResult r, String store, int batch) {
        return lossesPerSecond(r, store, r.options().examplesPerRun(), batch);
    }

    private static double changelogBytesPerLoss(MonitorBenchmarkResult r, String store, int examples, int batch) {
        return median(r, store, examples, batch, ThroughputResult::changelogBytesPerLoss);
    }

    private static double lossesPerSecond(MonitorBenchmarkResult r, String store, int examples, int batch) {
        return median(r, store, examples, batch, ThroughputResult::lossesPerSecond);
    }

    /** The median of {@code figure} at {@code examples} per run over its median at the first size. */
    private static double toFirstSize(MonitorBenchmarkResult r, String store, int examples, int batch,
                                      ToDoubleFunction<ThroughputResult> figure) {
        return median(r, store, examples, batch, figure) / median(r, store, r.options().examplesPerRun(), batch, figure);
    }

    /** Ratios as the report lists them: two decimals, comma-separated. */
    private static String listed(List<Double> ratios) {
        return ratios.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(", "));
    }

    /** The median over rounds of {@code figure} of the streams of {@code store}, {@code examples} and {@code batch}. */
    private static double median(MonitorBenchmarkResult r, String store, int examples, int batch,
                                 ToDoubleFunction<ThroughputResult> figure) {
        return median(r.of(store, examples, batch).stream().mapToDouble(figure).toArray());
    }

    /** The default store's best batch size reaches the target (median over rounds). */
    private static boolean meetsThroughput(MonitorBenchmarkResult r) {
        return r.options().batchSizes().stream().mapToDouble(batch -> lossesPerSecond(r, defaultStore(r), batch)).max()
                .orElse(0) >= TARGET_LOSSES_PER_SECOND;
    }

    /** Every run decided, and the 99th percentile under {@code target}. */
    private static boolean meetsLatency(LatencyResult l, double target) {
        return l.samples() == l.runs() && l.percentile(99) < target;
    }

    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
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
