package io.upcycle.bench.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.upcycle.bench.BenchCommand;
import io.upcycle.config.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code upcycle bench monitor} with tiny sizes, against the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class MonitorBenchIT {

    @Test
    void shouldEndWithJsonOfBothStoresAndBatchSizesAndTheStopLatencyWhenRunWithTinySizes(StackEndpoints stack) throws Exception {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine command = BenchCommand.commandLine(List.of(new MonitorBench()), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // when, on a rocksdb then a memory monitor, two runs of 256 examples stream 20,000 losses per batch size,
        // and 2 + 5 runs cross the threshold, quiet and again with one trainer fine-tuning a real expert beside it
        int code = CommandLines.call(command, "monitor", "--runs", "2", "--examples", "256", "--losses", "20000",
                "--warmup-losses", "2000", "--batch-sizes", "8,64", "--latency-runs", "5", "--latency-warmup-runs", "2",
                "--latency-spacing-ms", "20", "--load-trainers", "1", "--monitor-set", "commit.interval.ms=500",
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());

        // then the last line is JSON with the machine, each store's and batch size's rates, their ratio and the latency
        String output = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = output.strip().split("\n");
        assertThat(code).isZero();
        assertThat(output).contains("machine: ").contains("load average before").contains("stop latency (state store rocksdb, quiet;")
                .contains("stop latency (state store rocksdb, 1 trainers training beside it, ")
                .contains("monitor: state store memory").contains("memory/rocksdb losses/s at batch 64: ");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("bench").asText()).isEqualTo("monitor");
        assertThat(json.get("machine").get("cores").asInt()).isPositive();
        JsonNode figures = json.get("figures");
        assertThat(figures.get("commit_interval_ms").asLong()).isEqualTo(500); // --monitor-set reached the monitors
        assertThat(figures.get("state_stores").toString()).isEqualTo("[\"rocksdb\",\"memory\"]");
        for (String store : List.of("memory", "rocksdb")) {
            // whole steps of both runs: 20,000 / (8 x 2) = 1,250 steps; 20,000 / (64 x 2) = 156 steps
            JsonNode small = figures.get("throughput").get(store).get("batch_8");
            JsonNode large = figures.get("throughput").get(store).get("batch_64");
            assertThat(small.get("losses").asLong()).isEqualTo(20_000);
            assertThat(small.get("records").asLong()).isEqualTo(2_500);
            assertThat(large.get("losses").asLong()).isEqualTo(156 * 128);
            assertThat(large.get("records").asLong()).isEqualTo(312);
            for (JsonNode batch : List.of(small, large)) {
                assertThat(batch.get("losses_per_second").asDouble()).isPositive();
                assertThat(batch.get("records_per_second").asDouble()).isPositive();
                assertThat(batch.get("bytes").asLong()).isGreaterThan(batch.get("losses").asLong() * 9);
                assertThat(batch.get("rounds")).hasSize(1);
                JsonNode round = batch.get("rounds").get(0);
                assertThat(round.get("committed_seconds").asDouble()).isGreaterThanOrEqualTo(round.get("seconds").asDouble());
            }
        }
        JsonNode ratio = figures.get("losses_per_second_ratio").get("memory/rocksdb").get("batch_64");
        assertThat(ratio.get("median").asDouble()).isPositive();
        assertThat(ratio.get("rounds")).hasSize(1);
        assertThat(figures.get("target_state_store").asText()).isEqualTo("rocksdb");
        assertThat(figures.get("meets_throughput_target").isBoolean()).isTrue();
        JsonNode latency = figures.get("stop_latency_ms");
        assertThat(latency.get("state_store").asText()).isEqualTo("rocksdb");
        assertThat(latency.get("runs").asInt()).isEqualTo(5);
        assertThat(latency.get("samples").asInt()).isEqualTo(5);
        assertThat(latency.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(latency.get("p99").asDouble());
        assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
        assertThat(latency.get("trainers").asInt()).isZero();
        assertThat(latency.get("warmup_runs").asInt()).isEqualTo(2);
        assertThat(latency.get("warmup_max").asDouble()).isPositive();
        JsonNode loaded = figures.get("stop_latency_loaded_ms");
        assertThat(loaded.get("trainers").asInt()).isEqualTo(1);
        assertThat(loaded.get("load_steps_per_second").asDouble()).isPositive();
        assertThat(loaded.get("samples").asInt()).isEqualTo(5);
        assertThat(loaded.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(loaded.get("p99").asDouble());
        assertThat(figures.get("target_loaded_p99_ms").asDouble()).isEqualTo(300);
        assertThat(figures.get("meets_latency_target").isBoolean()).isTrue();
    }
}
