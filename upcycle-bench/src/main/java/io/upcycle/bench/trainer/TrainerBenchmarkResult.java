package io.upcycle.bench.trainer;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.function.ToDoubleFunction;

/**
 * The trainer benchmark's runs and their summary per mode (publishing off and on).
 *
 * @param options what was run
 * @param trainExamples size of the task's training split
 * @param classes classes of the task
 * @param baseSha256 the pretrained base every run started from
 * @param runs every measured run, in the order they ran (warm-ups excluded)
 * @param blocks the interleaved run's measured blocks, in order (empty without one)
 * @param processPeakRssBytes resident set high-water mark of the whole process (broker included when in-process)
 * @param maxHeapBytes the JVM's heap limit
 * @param seconds wall time of the whole benchmark, loading included
 */
public record TrainerBenchmarkResult(TrainerBenchmarkOptions options, int trainExamples, int classes, String baseSha256,
                                     List<BenchRun> runs, List<BenchBlock> blocks, long processPeakRssBytes, long maxHeapBytes, double seconds) {

    /** The target: publishing costs less than this share of step time, in percent. */
    public static final double TARGET_OVERHEAD_PERCENT = 2.0;

    public TrainerBenchmarkResult {
        runs = List.copyOf(runs);
        blocks = List.copyOf(blocks);
    }

    /** The spread of {@code metric} over the runs of one mode. */
    public Spread spread(boolean publish, ToDoubleFunction<BenchRun> metric) {
        return Spread.of(runs.stream().filter(r -> r.publish() == publish).mapToDouble(metric).toArray());
    }

    /** Extra wall time per step with publishing, in percent of the time without: from the modes' means. */
    public double overheadPercent() {
        double off = spread(false, BenchRun::msPerStep).mean();
        return 100 * (spread(true, BenchRun::msPerStep).mean() - off) / off;
    }

    /** The same overhead computed within each round (its two runs ran back to back), spread over rounds. */
    public Spread overheadPercentByRound() {
        return Spread.of(IntStream.range(0, options.rounds()).mapToDouble(round -> {
            double off = metricOf(round, false, BenchRun::msPerStep);
            return 100 * (metricOf(round, true, BenchRun::msPerStep) - off) / off;
        }).toArray());
    }

    /** Extra CPU time of the training thread per step with publishing, in percent: insensitive to other load. */
    public double trainCpuOverheadPercent() {
        double off = spread(false, BenchRun::trainCpuMsPerStep).mean();
        return 100 * (spread(true, BenchRun::trainCpuMsPerStep).mean() - off) / off;
    }

    /** Share of the publishing runs' step time the training thread spent handing events over, in percent. */
    public double handOverSharePercent() {
        return 100 * spread(true, BenchRun::handOverMsPerStep).mean() / spread(true, BenchRun::msPerStep).mean();
    }

    /**
     * Extra wall time per step with publishing within each pair of adjacent blocks of the
     * interleaved run, in percent of the block without; spread over pairs. The benchmark's verdict
     * rests on it: adjacent blocks share the machine's state, and neither pays a start-up.
     */
    public Spread overheadPercentByPair() {
        return Spread.of(IntStream.range(0, blocks.size() / 2).mapToDouble(pair -> {
            BenchBlock a = blocks.get(2 * pair);
            BenchBlock b = blocks.get(2 * pair + 1);
            BenchBlock on = a.publish() ? a : b;
            BenchBlock off = a.publish() ? b : a;
            return 100 * (on.msPerStep() - off.msPerStep()) / off.msPerStep();
        }).toArray());
    }

    /** The spread of {@code metric} over the interleaved run's blocks of one mode. */
    public Spread blockSpread(boolean publish, ToDoubleFunction<BenchBlock> metric) {
        return Spread.of(blocks.stream().filter(b -> b.publish() == publish).mapToDouble(metric).toArray());
    }

    /**
     * Whether the wall-time comparison can decide the target: at least two pairs of blocks, and the
     * target lies outside the per-pair overhead's mean ± 2 standard errors. On a noisy machine it may not.
     */
    public boolean wallTimeConclusive() {
        Spread byPair = overheadPercentByPair();
        double se = byPair.standardError();
        return Double.isFinite(se) && Math.abs(byPair.mean() - TARGET_OVERHEAD_PERCENT) > 2 * se;
    }

    /**
     * Whether publishing costs less than {@link #TARGET_OVERHEAD_PERCENT} of step time: the per-pair
     * wall-time overhead when {@link #wallTimeConclusive()}, else empty (too noisy to tell, or no interleaved run).
     */
    public Optional<Boolean> meetsTarget() {
        return wallTimeConclusive() ? Optional.of(overheadPercentByPair().mean() < TARGET_OVERHEAD_PERCENT) : Optional.empty();
    }

    /** Sum of a count over the publishing runs. */
    public long publishedTotal(ToDoubleFunction<BenchRun> count) {
        return Math.round(runs.stream().filter(BenchRun::publish).mapToDouble(count).sum());
    }

    /** Steps of the publishing runs. */
    public long publishedSteps() {
        return runs.stream().filter(BenchRun::publish).mapToLong(BenchRun::steps).sum();
    }

    /** The largest peak of one mode. */
    public long peak(boolean publish, ToDoubleFunction<BenchRun> bytes) {
        return Math.round(runs.stream().filter(r -> r.publish() == publish).mapToDouble(bytes).max().orElse(Double.NaN));
    }

    private double metricOf(int round, boolean publish, ToDoubleFunction<BenchRun> metric) {
        return runs.stream().filter(r -> r.round() == round && r.publish() == publish).mapToDouble(metric)
                .findFirst().orElse(Double.NaN);
    }
}
