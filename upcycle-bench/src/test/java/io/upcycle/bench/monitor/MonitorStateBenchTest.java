package io.upcycle.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorStateBenchTest {

    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureEachRunSizeRoundByRoundAgainstTheFirst() throws Exception {
        // given a small bench of two run sizes, two rounds
        MonitorStateBench bench = new MonitorStateBench();
        bench.examples = List.of(256, 4096);
        bench.losses = 4 * 64 * 200;
        bench.rounds = 2;
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        // when
        Map<String, Object> figures = bench.measure(new PrintStream(text, true, StandardCharsets.UTF_8));

        // then every size has a rate, a ratio per round, and the bytes a record encodes
        Map<String, Map<String, Object>> sizes = (Map<String, Map<String, Object>>) figures.get("by_run_size");
        assertThat(sizes).containsOnlyKeys("examples_256", "examples_4096");
        Map<String, Object> first = sizes.get("examples_256");
        Map<String, Object> second = sizes.get("examples_4096");
        assertThat((double) first.get("ratio_to_first_size")).isEqualTo(1.0);
        assertThat((List<Double>) second.get("round_ratios_to_first_size")).hasSize(2).allMatch(r -> r > 0);
        assertThat((double) second.get("losses_per_second")).isPositive();
        // a record writes its run's entry and its patch: more than the 4 bytes of a loss each
        assertThat((double) second.get("encoded_bytes_per_loss")).isGreaterThan(4);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("round 2", "round-by-round ratio");
    }

    @Test
    void shouldRefuseARunSmallerThanItsBatchNamingTheOption() {
        MonitorStateBench bench = new MonitorStateBench();
        bench.examples = List.of(32);

        assertThatThrownBy(bench::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--examples");
    }
}
