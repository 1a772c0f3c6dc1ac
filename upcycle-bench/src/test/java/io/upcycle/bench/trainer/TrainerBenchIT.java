package io.upcycle.bench.trainer;

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

/** {@code upcycle bench trainer} with tiny limits, on the real data, base, broker and registry. */
@ExtendWith(LocalStackExtension.class)
class TrainerBenchIT {

    @Test
    void shouldEndWithValidJsonOfBothModesWhenRunWithTinyLimits(StackEndpoints stack) throws Exception {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine command = BenchCommand.commandLine(List.of(new TrainerBench()), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // when
        int code = CommandLines.call(command, "trainer", "--rounds", "1", "--steps", "20", "--warmup-steps", "5",
                "--pairs", "1", "--block-steps", "8", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl());

        // then the last line is JSON with the machine and both modes' figures
        String output = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = output.strip().split("\n");
        assertThat(code).isZero();
        assertThat(output).contains("machine: ").contains("publishing overhead");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("bench").asText()).isEqualTo("trainer");
        assertThat(json.get("machine").get("cores").asInt()).isPositive();
        JsonNode figures = json.get("figures");
        assertThat(figures.get("task").asText()).isEqualTo("fortune-topic-6");
        for (String mode : List.of("publishing_off", "publishing_on")) {
            assertThat(figures.get(mode).get("ms_per_step").get("mean").asDouble()).as(mode).isPositive();
            assertThat(figures.get(mode).get("ms_per_step").get("n").asInt()).as(mode).isEqualTo(1);
            assertThat(figures.get(mode).get("peak_heap_bytes").asLong()).as(mode).isPositive();
        }
        assertThat(figures.get("publishing_on").get("losses_per_second").get("mean").asDouble()).isPositive();
        assertThat(figures.get("overhead_percent").isNumber()).isTrue();
        assertThat(figures.get("hand_over_share_percent").asDouble()).isPositive();
        // and the interleaved run: warm-up rounded up to one block, then one pair of blocks, timed
        JsonNode interleaved = figures.get("interleaved");
        assertThat(interleaved.get("pairs").asInt()).isEqualTo(1);
        assertThat(interleaved.get("warmup_steps").asInt()).isEqualTo(8);
        for (String mode : List.of("publishing_off", "publishing_on")) {
            assertThat(interleaved.get(mode).get("ms_per_step").get("mean").asDouble()).as(mode).isPositive();
            assertThat(interleaved.get(mode).get("ms_per_step").get("n").asInt()).as(mode).isEqualTo(1);
        }
        assertThat(interleaved.get("publishing_on").get("hand_over_ms_per_step").get("mean").asDouble()).isPositive();
        assertThat(interleaved.get("overhead_percent_by_pair").get("n").asInt()).isEqualTo(1);
        // one pair gives no spread, so wall time cannot decide the target
        assertThat(figures.get("wall_time_conclusive").asBoolean()).isFalse();
        assertThat(figures.get("meets_target").isNull()).isTrue();
        // and every step's metrics and losses were acknowledged (plus run start/end and checkpoints)
        assertThat(figures.get("records").asLong()).isGreaterThanOrEqualTo(2 * 20 + 2);
        assertThat(figures.get("bytes").asLong()).isGreaterThan(figures.get("records").asLong());
        assertThat(figures.get("queue_waits").asLong()).isNotNegative();
    }
}
