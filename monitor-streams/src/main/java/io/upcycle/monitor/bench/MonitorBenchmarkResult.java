package io.upcycle.monitor.bench;

import java.util.List;

/**
 * What {@link MonitorBenchmark#run} measured.
 *
 * @param options what was asked
 * @param throughput every measured stream, in the order run (batch sizes alternating)
 * @param latency the stop latencies (no samples when {@code latencyRuns} was 0)
 * @param commitIntervalMs the monitor's commit interval: the floor of every decision's visibility
 */
public record MonitorBenchmarkResult(MonitorBenchmarkOptions options, List<ThroughputResult> throughput,
                                     LatencyResult latency, long commitIntervalMs) {
    public MonitorBenchmarkResult {
        throughput = List.copyOf(throughput);
    }

    /** The measured streams of one batch size. */
    public List<ThroughputResult> of(int batch) {
        return throughput.stream().filter(t -> t.batch() == batch).toList();
    }
}
