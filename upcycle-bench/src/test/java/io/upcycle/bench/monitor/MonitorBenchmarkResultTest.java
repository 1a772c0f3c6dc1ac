package io.upcycle.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorBenchmarkResultTest {
    private static final MonitorBenchmarkOptions OPTIONS = new MonitorBenchmarkOptions(4, List.of(8192), 1_000_000, 0,
            List.of(64, 1024), List.of("memory", "rocksdb"), 2, 0, 0, 50, 0, 42, Map.of());

    /** A stream of 1 M losses that took {@code seconds}. */
    private static ThroughputResult stream(String store, int batch, int round, double seconds) {
        return new ThroughputResult(store, 8192, batch, round, 1_000_000, 1_000_000 / batch, 9_000_000, seconds / 2, seconds, seconds + 0.1, 2_000_000, seconds, seconds / 2);
    }

    @Test
    void shouldSelectOneStoreAndBatchSizeInRoundOrder() {
        // given streams in the order run: round 2 starts with rocksdb
        MonitorBenchmarkResult result = new MonitorBenchmarkResult(OPTIONS, List.of(
                stream("memory", 64, 1, 1.0), stream("rocksdb", 64, 1, 2.0),
                stream("rocksdb", 64, 2, 4.0), stream("memory", 64, 2, 3.0), stream("memory", 1024, 2, 5.0)),
                LatencyResult.none(), LatencyResult.none(), 100);

        // when / then
        assertThat(result.of("memory", 64)).extracting(ThroughputResult::seconds).containsExactly(1.0, 3.0);
        assertThat(result.of("rocksdb", 64)).extracting(ThroughputResult::round).containsExactly(1, 2);
        assertThat(result.of("memory", 1024)).extracting(ThroughputResult::seconds).containsExactly(5.0);
        assertThat(result.of("rocksdb", 1024)).isEmpty();
        assertThat(result.latencyStore()).isEqualTo("memory");
    }

    @Test
    void shouldRatioLossesPerSecondOfTheSameRoundAndSkipUnpairedRounds() {
        // given memory at 1 M/s then 2 M/s; rocksdb at 0.7 M/s then 1.6 M/s; round 3 only for memory
        MonitorBenchmarkResult result = new MonitorBenchmarkResult(OPTIONS, List.of(
                stream("memory", 64, 1, 1.0), stream("rocksdb", 64, 1, 1.0 / 0.7),
                stream("rocksdb", 64, 2, 1.0 / 1.6), stream("memory", 64, 2, 0.5), stream("memory", 64, 3, 0.25)),
                LatencyResult.none(), LatencyResult.none(), 100);

        // when
        List<Double> rocksOverMemory = result.ratios("rocksdb", "memory", 64);
        List<Double> memoryOverRocks = result.ratios("memory", "rocksdb", 64);

        // then: one ratio per round both stores ran, in round order
        assertThat(rocksOverMemory).hasSize(2);
        assertThat(rocksOverMemory.get(0)).isCloseTo(0.7, within(1e-9));
        assertThat(rocksOverMemory.get(1)).isCloseTo(0.8, within(1e-9));
        assertThat(memoryOverRocks.get(0)).isCloseTo(1 / 0.7, within(1e-9));
        assertThat(result.ratios("rocksdb", "memory", 1024)).isEmpty();
    }
}
