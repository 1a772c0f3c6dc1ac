package io.upcycle.bench.trainer;

import io.upcycle.bench.trainer.BenchBlock;
import io.upcycle.bench.trainer.BenchRun;
import io.upcycle.bench.trainer.Spread;
import io.upcycle.bench.trainer.TrainerBenchmarkResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The trainer benchmark's result as a console table and as JSON-ready figures. */
final class TrainerBenchReport {
    private static final double MIB = 1024 * 1024;

    private TrainerBenchReport() {
    }

    static String table(TrainerBenchmarkResult r) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%ntask %s (%d training examples, %d classes), base %s; %d rounds x %d steps per mode, "
                        + "batch %d, after %d warm-up steps per mode%n", r.options().task(), r.trainExamples(), r.classes(),
                r.baseSha256().substring(0, 12), r.options().rounds(), r.options().steps(), r.options().batchSize(),
                r.options().warmupSteps()));
        t.append(String.format(Locale.ROOT, "%-30s %-34s %-34s%n", "per run: mean ± s.d. [min, max]", "publishing off", "publishing on"));
        row(t, r, "wall ms/step", BenchRun::msPerStep, "%.3f");
        row(t, r, "training-thread CPU ms/step", BenchRun::trainCpuMsPerStep, "%.3f");
        row(t, r, "hand-over ms/step", BenchRun::handOverMsPerStep, "%.4f");
        row(t, r, "publishing-threads CPU ms/step", BenchRun::publishCpuMsPerStep, "%.3f");
        row(t, r, "per-example losses/s", BenchRun::lossesPerSecond, "%.0f");
        row(t, r, "start-up before the loop, ms", BenchRun::startUpMs, "%.1f");
        row(t, r, "drain after the loop, ms", BenchRun::drainMs, "%.1f");
        row(t, r, "peak RSS MiB (process)", run -> run.peakRssBytes() / MIB, "%.0f");
        row(t, r, "peak heap MiB", run -> run.peakHeapBytes() / MIB, "%.0f");
        long records = r.publishedTotal(BenchRun::records);
        long bytes = r.publishedTotal(BenchRun::bytes);
        t.append(String.format(Locale.ROOT, "%nseparate runs, publishing overhead, wall time: %+.2f%% of step time (means), per round %s "
                        + "(s.e. %.2f%%)%n", r.overheadPercent(), format(r.overheadPercentByRound(), "%+.2f"),
                r.overheadPercentByRound().standardError()));
        t.append(String.format(Locale.ROOT, "training thread's own cost: hand-over %.2f%% of step time; training-thread CPU %+.2f%%%n",
                r.handOverSharePercent(), r.trainCpuOverheadPercent()));
        if (!r.blocks().isEmpty()) {
            t.append(String.format(Locale.ROOT, "%ninterleaved run: %d pairs of %d-step blocks, publishing and not (ABBA), after %d steps%n",
                    r.blocks().size() / 2, r.options().blockSteps(), r.options().interleavedWarmupSteps()));
            t.append(String.format(Locale.ROOT, "%-30s %-34s %-34s%n", "per block: mean ± s.d. [min, max]", "publishing off", "publishing on"));
            blockRow(t, r, "wall ms/step", BenchBlock::msPerStep, "%.3f");
            blockRow(t, r, "training-thread CPU ms/step", BenchBlock::trainCpuMsPerStep, "%.3f");
            blockRow(t, r, "hand-over ms/step", BenchBlock::handOverMsPerStep, "%.4f");
            blockRow(t, r, "publishing-threads CPU ms/step", BenchBlock::publishCpuMsPerStep, "%.3f");
            blockRow(t, r, "process CPU ms/step", BenchBlock::processCpuMsPerStep, "%.3f");
            Spread byPair = r.overheadPercentByPair();
            t.append(String.format(Locale.ROOT, "publishing overhead, wall time, per pair of adjacent blocks: %s (s.e. %.2f%%)%n",
                    format(byPair, "%+.2f"), byPair.standardError()));
        }
        t.append(String.format(Locale.ROOT, "target < %.0f%%: %s%n", TrainerBenchmarkResult.TARGET_OVERHEAD_PERCENT,
                r.meetsTarget().map(met -> met ? "met (wall time, per pair of blocks, 2 s.e.)" : "NOT met (wall time, per pair of blocks, 2 s.e.)")
                        .orElse(r.blocks().isEmpty() ? "not decided (no interleaved run: --pairs 0)" : String.format(Locale.ROOT,
                        "wall time inconclusive here: the target lies within the per-pair overhead's 2 s.e. (%.1f%%); "
                                + "see the training thread's own cost", 2 * r.overheadPercentByPair().standardError()))));
        t.append(String.format(Locale.ROOT, "published: %d records, %.1f MiB (%.0f bytes/record, %.1f records/step); "
                        + "back-pressure: %d waits on the full queue (%.1f ms), peak %d queued%n", records, bytes / MIB,
                records == 0 ? Double.NaN : (double) bytes / records, (double) records / r.publishedSteps(),
                r.publishedTotal(BenchRun::queueWaits), r.runs().stream().filter(BenchRun::publish).mapToDouble(BenchRun::queueWaitMs).sum(),
                r.peak(true, BenchRun::peakQueued)));
        t.append(String.format(Locale.ROOT, "process peak RSS %.0f MiB over the whole benchmark, loading included (and the broker and registry when embedded); took %.0f s%n",
                r.processPeakRssBytes() / MIB, r.seconds()));
        return t.toString();
    }

    static Map<String, Object> figures(TrainerBenchmarkResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("task", r.options().task());
        f.put("train_examples", r.trainExamples());
        f.put("rounds", r.options().rounds());
        f.put("steps", r.options().steps());
        f.put("warmup_steps", r.options().warmupSteps());
        f.put("batch_size", r.options().batchSize());
        f.put("base_sha256", r.baseSha256());
        f.put("publishing_off", mode(r, false));
        f.put("publishing_on", mode(r, true));
        f.put("overhead_percent", r.overheadPercent());
        f.put("overhead_percent_by_round", spread(r.overheadPercentByRound()));
        f.put("train_cpu_overhead_percent", r.trainCpuOverheadPercent());
        f.put("target_overhead_percent", TrainerBenchmarkResult.TARGET_OVERHEAD_PERCENT);
        f.put("overhead_percent_se", r.overheadPercentByRound().standardError());
        f.put("interleaved", interleaved(r));
        f.put("wall_time_conclusive", r.wallTimeConclusive());
        f.put("meets_target", r.meetsTarget().orElse(null));
        f.put("hand_over_share_percent", r.handOverSharePercent());
        f.put("records", r.publishedTotal(BenchRun::records));
        f.put("bytes", r.publishedTotal(BenchRun::bytes));
        f.put("queue_waits", r.publishedTotal(BenchRun::queueWaits));
        f.put("queue_wait_ms", r.runs().stream().filter(BenchRun::publish).mapToDouble(BenchRun::queueWaitMs).sum());
        f.put("peak_queued", r.peak(true, BenchRun::peakQueued));
        f.put("process_peak_rss_bytes", r.processPeakRssBytes());
        f.put("seconds", r.seconds());
        return f;
    }

    private static Map<String, Object> interleaved(TrainerBenchmarkResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairs", r.blocks().size() / 2);
        m.put("block_steps", r.options().blockSteps());
        m.put("warmup_steps", r.options().interleavedWarmupSteps());
        for (boolean publish : new boolean[] {false, true}) {
            Map<String, Object> mode = new LinkedHashMap<>();
            mode.put("ms_per_step", spread(r.blockSpread(publish, BenchBlock::msPerStep)));
            mode.put("train_cpu_ms_per_step", spread(r.blockSpread(publish, BenchBlock::trainCpuMsPerStep)));
            mode.put("hand_over_ms_per_step", spread(r.blockSpread(publish, BenchBlock::handOverMsPerStep)));
            mode.put("publish_cpu_ms_per_step", spread(r.blockSpread(publish, BenchBlock::publishCpuMsPerStep)));
            mode.put("process_cpu_ms_per_step", spread(r.blockSpread(publish, BenchBlock::processCpuMsPerStep)));
            m.put(publish ? "publishing_on" : "publishing_off", mode);
        }
        m.put("overhead_percent_by_pair", spread(r.overheadPercentByPair()));
        m.put("overhead_percent_se", r.overheadPercentByPair().standardError());
        return m;
    }

    private static Map<String, Object> mode(TrainerBenchmarkResult r, boolean publish) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ms_per_step", spread(r.spread(publish, BenchRun::msPerStep)));
        m.put("train_cpu_ms_per_step", spread(r.spread(publish, BenchRun::trainCpuMsPerStep)));
        m.put("hand_over_ms_per_step", spread(r.spread(publish, BenchRun::handOverMsPerStep)));
        m.put("publish_cpu_ms_per_step", spread(r.spread(publish, BenchRun::publishCpuMsPerStep)));
        m.put("losses_per_second", spread(r.spread(publish, BenchRun::lossesPerSecond)));
        m.put("start_up_ms", spread(r.spread(publish, BenchRun::startUpMs)));
        m.put("drain_ms", spread(r.spread(publish, BenchRun::drainMs)));
        m.put("peak_rss_bytes", r.peak(publish, BenchRun::peakRssBytes));
        m.put("peak_heap_bytes", r.peak(publish, BenchRun::peakHeapBytes));
        return m;
    }

    private static Map<String, Object> spread(Spread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("sd", s.sd());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("n", s.n());
        return m;
    }

    private static void row(StringBuilder t, TrainerBenchmarkResult r, String name, ToDoubleFunction<BenchRun> metric, String number) {
        row(t, name, r.spread(false, metric), r.spread(true, metric), number);
    }

    private static void blockRow(StringBuilder t, TrainerBenchmarkResult r, String name, ToDoubleFunction<BenchBlock> metric,
                                 String number) {
        row(t, name, r.blockSpread(false, metric), r.blockSpread(true, metric), number);
    }

    /** One line of a per-mode table: the metric's spread without and with publishing. */
    private static void row(StringBuilder t, String name, Spread off, Spread on, String number) {
        t.append(String.format(Locale.ROOT, "%-30s %-34s %-34s%n", name, format(off, number), format(on, number)));
    }

    private static String format(Spread s, String number) {
        return String.format(Locale.ROOT, number + " ± " + number.replace("+", "") + " [" + number + ", " + number + "]",
                s.mean(), s.sd(), s.min(), s.max());
    }
}
