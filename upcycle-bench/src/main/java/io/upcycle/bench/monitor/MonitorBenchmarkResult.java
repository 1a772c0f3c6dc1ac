package io.upcycle.bench.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link MonitorBenchmark#run} measured.
 *
 * @param options what was asked
 * @param throughput every measured stream, in the order run (stores alternating by round, batch sizes within)
 * @param latency the stop latencies on a quiet monitor of {@link #latencyStore()} (no samples when {@code latencyRuns} was 0)
 * @param loadedLatency the same, measured again with trainers training beside it (no samples without load trainers)
 * @param commitIntervalMs the monitor's commit interval (decisions commit at once, without waiting for it)
 */
public record MonitorBenchmarkResult(MonitorBenchmarkOptions options, List<ThroughputResult> throughput,
                                     LatencyResult latency, LatencyResult loadedLatency, long commitIntervalMs) {
    public MonitorBenchmarkResult {
        throughput = List.copyOf(throughput);
    }

    /** The measured streams of one store and batch size, of the first run size, in round order. */
    public List<ThroughputResult> of(String store, int batch) {
        return of(store, options.examplesPerRun(), batch);
    }

    /** The measured streams of one store, run size and batch size, in round order. */
    public List<ThroughputResult> of(String store, int examples, int batch) {
        return throughput.stream().filter(t -> t.store().equals(store) && t.examples() == examples && t.batch() == batch)
                .sorted(Comparator.comparingInt(ThroughputResult::round)).toList();
    }

    /**
     * Per round, {@code numerator}'s losses/s over {@code denominator}'s at {@code batch}, in round
     * order; a round measured for only one of the two is left out.
     */
    public List<Double> ratios(String numerator, String denominator, int batch) {
        return roundRatios(of(numerator, batch), of(denominator, batch));
    }

    /**
     * Per round, {@code store}'s losses/s with runs of {@code examples} over its losses/s with runs of
     * the first size, at {@code batch}: both measured on that round's monitor, one after the other.
     */
    public List<Double> sizeRatios(String store, int examples, int batch) {
        return roundRatios(of(store, examples, batch), of(store, options.examplesPerRun(), batch));
    }

    /** Per round measured in both, {@code numerator}'s losses/s over {@code denominator}'s, in round order. */
    private static List<Double> roundRatios(List<ThroughputResult> numerator, List<ThroughputResult> denominator) {
        Map<Integer, ThroughputResult> under = denominator.stream()
                .collect(Collectors.toMap(ThroughputResult::round, t -> t, (a, b) -> a));
        return numerator.stream().filter(t -> under.containsKey(t.round()))
                .map(t -> t.lossesPerSecond() / under.get(t.round()).lossesPerSecond()).toList();
    }

    /** The store the stop latency was measured on: the first asked for, the default. */
    public String latencyStore() {
        return options.stateStores().get(0);
    }
}
