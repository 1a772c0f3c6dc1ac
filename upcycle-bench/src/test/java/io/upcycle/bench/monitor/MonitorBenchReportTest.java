package io.upcycle.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorBenchReportTest {
    private static final LatencyResult LATENCY = new LatencyResult(new double[] {30, 10, 20}, 3, new double[] {90}, 0, 0);
    private static final LatencyResult LOADED = new LatencyResult(new double[] {250, 100, 200}, 3, new double[] {120}, 4, 35.5);

    private static MonitorBenchmarkResult result(List<String> stores, List<ThroughputResult> streams) {
        MonitorBenchmarkOptions options = new MonitorBenchmarkOptions(4, List.of(8192), 1_000_000, 0, List.of(64), stores, 2, 3, 1, 50, 4, 42, Map.of());
        return new MonitorBenchmarkResult(options, streams, LATENCY, LOADED, 100);
    }

    /** A stream of 1 M losses in 15,625 records of 64 that took {@code seconds}. */
    private static ThroughputResult stream(String store, int round, double seconds) {
        return new ThroughputResult(store, 8192, 64, round, 1_000_000, 15_625, 9_000_000, seconds / 2, seconds, seconds + 0.1, 2_000_000, seconds, seconds / 2);
    }

    /** Memory at 1 M then 2 M losses/s; rocksdb at 0.7 M then 1.6 M, run in alternating order. */
    private static List<ThroughputResult> twoRounds() {
        return List.of(stream("memory", 1, 1.0), stream("rocksdb", 1, 1.0 / 0.7),
                stream("rocksdb", 2, 1.0 / 1.6), stream("memory", 2, 0.5));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTabulateEachRunSizeAgainstTheFirst() {
        // given runs of 8,192 and 1,000,000 examples: 1 M losses in 1 s and in 1.25 s, 0.5 and 20 B of changelog per loss
        MonitorBenchmarkOptions options = new MonitorBenchmarkOptions(1, List.of(8192, 1_000_000), 1_000_000, 0, List.of(64),
                List.of("rocksdb"), 1, 0, 0, 50, 0, 42, Map.of());
        MonitorBenchmarkResult result = new MonitorBenchmarkResult(options, List.of(
                new ThroughputResult("rocksdb", 8192, 64, 1, 1_000_000, 15_625, 9_000_000, 0.5, 1.0, 1.0 + 0.1, 500_000, 1.0, 0.5),
                new ThroughputResult("rocksdb", 1_000_000, 64, 1, 1_000_000, 15_625, 9_000_000, 0.5, 1.25, 1.25 + 0.1, 20_000_000, 1.1, 0.6)),
                LatencyResult.none(), LatencyResult.none(), 100);

        // when
        String table = MonitorBenchReport.table(result);
        Map<String, Object> figures = MonitorBenchReport.figures(result);

        // then the main table is the first size's, and a row per size gives its ratio to the first
        assertThat(table).containsPattern("rocksdb +64 +1,000,000 ")
                .contains("losses/s by examples per run")
                .containsPattern("rocksdb +8,192 +1,000,000 +1\\.00 +0\\.50")
                .containsPattern("rocksdb +1,000,000 +800,000 +0\\.80 +20\\.00 +1,100 +1\\.10 +600 +1\\.20");
        Map<String, Object> sizes = (Map<String, Object>) ((Map<String, Object>) figures.get("throughput_by_run_size")).get("rocksdb");
        Map<String, Object> large = (Map<String, Object>) ((Map<String, Object>) sizes.get("examples_1000000")).get("batch_64");
        assertThat((double) large.get("ratio_to_first_size")).isCloseTo(0.8, within(1e-9));
        assertThat((double) large.get("changelog_bytes_per_loss")).isCloseTo(20.0, within(1e-9));
        assertThat((double) large.get("cpu_ns_per_loss")).isCloseTo(1100.0, within(1e-6));
        assertThat((double) large.get("stream_thread_ns_per_loss")).isCloseTo(600.0, within(1e-6));
        assertThat(figures.get("run_sizes")).isEqualTo(List.of(8192, 1_000_000));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPairEachRunSizeWithTheFirstRoundByRound() {
        // given three rounds: 8,192-example runs at 2, 1, 1 M losses/s; 1 M-example runs at 1, 0.9, 1.6 M
        MonitorBenchmarkOptions options = new MonitorBenchmarkOptions(1, List.of(8192, 1_000_000), 1_000_000, 0, List.of(64),
                List.of("rocksdb"), 3, 0, 0, 50, 0, 42, Map.of());
        double[] small = {0.5, 1.0, 1.0};
        double[] large = {1.0, 1.0 / 0.9, 1.0 / 1.6};
        List<ThroughputResult> streams = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            streams.add(new ThroughputResult("rocksdb", 8192, 64, round, 1_000_000, 15_625, 9_000_000, 0.1, small[round - 1],
                    small[round - 1], 1, 1, 1));
            streams.add(new ThroughputResult("rocksdb", 1_000_000, 64, round, 1_000_000, 15_625, 9_000_000, 0.1,
                    large[round - 1], large[round - 1], 1, 1, 1));
        }
        MonitorBenchmarkResult result = new MonitorBenchmarkResult(options, streams, LatencyResult.none(), LatencyResult.none(), 100);

        // when
        String table = MonitorBenchReport.table(result);
        Map<String, Object> figures = MonitorBenchReport.figures(result);

        // then the medians' ratio is 1.00, and the median of the round ratios (0.50, 0.90, 1.60) is 0.90
        assertThat(table).containsPattern("rocksdb +1,000,000 +1,000,000 +1\\.00 ")
                .contains("rocksdb, 1,000,000 over 8,192 examples at batch 64, round by round: median 0.90 (rounds: 0.50, 0.90, 1.60)");
        Map<String, Object> sizes = (Map<String, Object>) ((Map<String, Object>) figures.get("throughput_by_run_size")).get("rocksdb");
        Map<String, Object> batch = (Map<String, Object>) ((Map<String, Object>) sizes.get("examples_1000000")).get("batch_64");
        assertThat((double) batch.get("median_round_ratio")).isCloseTo(0.9, within(1e-9));
        assertThat((List<Double>) batch.get("round_ratios_to_first_size")).hasSize(3);
    }

    @Test
    void shouldShowEachStoresMediansAndTheRoundRatiosInTheTable() {
        // when
        String table = MonitorBenchReport.table(result(List.of("memory", "rocksdb"), twoRounds()));

        // then: medians over rounds (1.5 M and 1.15 M losses/s), then rocksdb/memory per round (0.70, 0.80) and their median
        assertThat(table).contains("median of 2 round(s)")
                .containsPattern("memory +64 +1,500,000 +23,438 +1,000,000 +0\\.75")
                .containsPattern("rocksdb +64 +1,150,000 ")
                .contains("rocksdb/memory losses/s at batch 64: 0.75 (rounds: 0.70, 0.80)")
                .contains("target >= 5,000,000 losses/s (batched records, state store memory): NOT met")
                .contains("stop latency (state store memory, quiet;").contains("3/3 runs decided, p50 20.0 ms");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNestThroughputUnderEachStoreAndAddTheRatiosToTheFigures() {
        // when
        Map<String, Object> figures = MonitorBenchReport.figures(result(List.of("memory", "rocksdb"), twoRounds()));

        // then
        assertThat(figures.get("state_stores")).isEqualTo(List.of("memory", "rocksdb"));
        Map<String, Object> throughput = (Map<String, Object>) figures.get("throughput");
        assertThat(throughput).containsOnlyKeys("memory", "rocksdb");
        Map<String, Object> memory = (Map<String, Object>) ((Map<String, Object>) throughput.get("memory")).get("batch_64");
        Map<String, Object> rocksdb = (Map<String, Object>) ((Map<String, Object>) throughput.get("rocksdb")).get("batch_64");
        assertThat((double) memory.get("losses_per_second")).isCloseTo(1_500_000, within(1e-6));
        assertThat((double) rocksdb.get("losses_per_second")).isCloseTo(1_150_000, within(1e-6));
        assertThat(memory.get("records")).isEqualTo(15_625L);
        assertThat((List<Map<String, Object>>) rocksdb.get("rounds")).extracting(round -> round.get("round"))
                .containsExactly(1, 2);
        Map<String, Object> ratio = (Map<String, Object>) ((Map<String, Object>) figures.get("losses_per_second_ratio"))
                .get("rocksdb/memory");
        Map<String, Object> batch = (Map<String, Object>) ratio.get("batch_64");
        assertThat((double) batch.get("median")).isCloseTo(0.75, within(1e-9));
        assertThat((List<Double>) batch.get("rounds")).hasSize(2);
        assertThat(figures.get("target_state_store")).isEqualTo("memory");
        assertThat(figures.get("meets_throughput_target")).isEqualTo(false);
        assertThat(((Map<String, Object>) figures.get("stop_latency_ms")).get("state_store")).isEqualTo("memory");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldJudgeTheTargetOnTheFirstStoreAndRatioTheSecondOverIt() {
        // given rocksdb at 6 M losses/s, memory at 1 M
        List<ThroughputResult> streams = List.of(stream("rocksdb", 1, 1.0 / 6), stream("memory", 1, 1.0),
                stream("memory", 2, 1.0), stream("rocksdb", 2, 1.0 / 6));

        // when
        Map<String, Object> memoryFirst = MonitorBenchReport.figures(result(List.of("memory", "rocksdb"), streams));
        Map<String, Object> rocksdbFirst = MonitorBenchReport.figures(result(List.of("rocksdb", "memory"), streams));

        // then
        assertThat(memoryFirst.get("meets_throughput_target")).isEqualTo(false);
        assertThat(rocksdbFirst.get("meets_throughput_target")).isEqualTo(true);
        assertThat((Map<String, Object>) rocksdbFirst.get("losses_per_second_ratio")).containsOnlyKeys("memory/rocksdb");
        assertThat(MonitorBenchReport.table(result(List.of("rocksdb", "memory"), streams)))
                .contains("memory/rocksdb losses/s at batch 64: 0.17 (rounds: 0.17, 0.17)")
                .contains("state store rocksdb): met");
    }

    @Test
    void shouldShowNoRatioWhenOneStoreWasMeasured() {
        // when
        MonitorBenchmarkResult memoryOnly = result(List.of("memory"), List.of(stream("memory", 1, 1.0), stream("memory", 2, 0.5)));

        // then
        assertThat(MonitorBenchReport.table(memoryOnly)).doesNotContain("losses/s at batch").doesNotContain("rocksdb");
        assertThat(MonitorBenchReport.figures(memoryOnly)).doesNotContainKey("losses_per_second_ratio");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldJudgeTheQuietLatencyAgainst150msAndTheLoadedOneAgainst300ms() {
        // given quiet p99 30 ms, loaded p99 250 ms with 4 trainers at 35.5 steps/s
        MonitorBenchmarkResult result = result(List.of("rocksdb"), List.of(stream("rocksdb", 1, 1.0)));

        // when
        String table = MonitorBenchReport.table(result);
        Map<String, Object> figures = MonitorBenchReport.figures(result);

        // then each is its own line, with its warm-up runs apart, and both targets are met
        assertThat(table).contains("stop latency (state store rocksdb, quiet;")
                .contains("p50 20.0 ms, p99 30.0 ms, max 30.0 ms; the 1 warm-up runs before them: max 90.0 ms")
                .contains("target p99 < 150 ms (quiet): met")
                .contains("stop latency (state store rocksdb, 4 trainers training beside it, 36 steps/s together;")
                .contains("p50 200.0 ms, p99 250.0 ms")
                .contains("target p99 < 300 ms (loaded): met");
        Map<String, Object> loaded = (Map<String, Object>) figures.get("stop_latency_loaded_ms");
        assertThat(loaded.get("trainers")).isEqualTo(4);
        assertThat((double) loaded.get("load_steps_per_second")).isEqualTo(35.5);
        assertThat((double) loaded.get("p99")).isEqualTo(250.0);
        assertThat((double) ((Map<String, Object>) figures.get("stop_latency_ms")).get("warmup_max")).isEqualTo(90.0);
        assertThat(figures.get("meets_latency_target")).isEqualTo(true);

        // and a loaded p99 of 250 ms on a quiet monitor would miss the quiet target
        MonitorBenchmarkResult slowQuiet = new MonitorBenchmarkResult(result.options(), result.throughput(),
                new LatencyResult(new double[] {250, 100, 200}, 3, new double[0], 0, 0), LatencyResult.none(), 100);
        assertThat(MonitorBenchReport.table(slowQuiet)).contains("target p99 < 150 ms (quiet): NOT met")
                .doesNotContain("(loaded)");
        assertThat(MonitorBenchReport.figures(slowQuiet)).doesNotContainKey("stop_latency_loaded_ms")
                .containsEntry("meets_latency_target", false);
    }
}
