package io.upcycle.bench.merger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.upcycle.bench.BenchCommand;
import io.upcycle.config.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code upcycle bench merger} with tiny sizes: real files, both engines (TF whole and chunked), plain Java, one JSON line. */
class MergerBenchIT {

    @Test
    void shouldEndWithJsonOfEveryMethodAndImplementationThatAgreeWhenRunWithTinySizes() throws Exception {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine command = BenchCommand.commandLine(List.of(new MergerBench()), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // when
        int code = CommandLines.call(command, "merger", "--experts", "3", "--params", "20000", "--repetitions", "2",
                "--chunk", "3001");

        // then the last line is JSON with every method's five implementations, and they agree
        String output = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = output.strip().split("\n");
        assertThat(code).isZero();
        assertThat(output).contains("machine: ").contains("engines: ").contains("memory target").contains("memory copy");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("bench").asText()).isEqualTo("merger");
        JsonNode figures = json.get("figures");
        assertThat(figures.get("experts").asInt()).isEqualTo(3);
        assertThat(figures.get("params").asInt()).isEqualTo(20000);
        assertThat(figures.get("expert_bytes").asLong()).isEqualTo(3L * 20000 * 4);
        assertThat(figures.get("largest_tensor_elements").asInt()).isEqualTo(8000);
        assertThat(figures.get("memory_target_bytes").asLong()).isEqualTo(5L * 8000 * 4);
        assertThat(figures.get("engines").get("tensorflow").asText()).contains("cpu");
        assertThat(figures.get("engines").get("tf_chunked").asText()).contains("chunks of 3001 values");
        assertThat(figures.get("engines").get("merger").asText()).contains("fused plain-Java passes").contains("chunks of 3001 values");
        assertThat(figures.get("memory_copy_bytes_per_second").asDouble()).isPositive();
        assertThat(figures.get("all_agree").asBoolean()).isTrue();
        for (String method : MergerBench.METHODS) {
            JsonNode m = figures.get("methods").get(method);
            assertThat(m.get("agree").asBoolean()).as(method).isTrue();
            assertThat(m.get("max_abs_diff").size()).as(method).isEqualTo(10);
            assertThat(m.get("max_abs_diff").has("tensorflow_vs_tf_chunked")).as(method).isTrue();
            assertThat(m.get("max_abs_diff").get("tensorflow_vs_merger").asDouble()).as(method).isZero();
            m.get("max_abs_diff").forEach(diff -> assertThat(diff.asDouble()).as(method).isBetween(0.0, MergerBenchReport.AGREEMENT_TOLERANCE));
            for (String implementation : List.of("tensorflow", "merger", "tf_chunked", "java", "pytorch")) {
                JsonNode i = m.get("implementations").get(implementation);
                assertThat(i.get("seconds").size()).as(method + " " + implementation).isEqualTo(2);
                assertThat(i.get("median_seconds").asDouble()).as(method + " " + implementation).isPositive();
                assertThat(i.get("gb_per_second").asDouble()).as(method + " " + implementation).isPositive();
                assertThat(i.get("fraction_of_memory_copy").asDouble()).as(method + " " + implementation).isPositive();
                assertThat(i.get("peak_rss_bytes").asLong()).as(method + " " + implementation).isPositive();
                assertThat(i.get("peak_heap_bytes").asLong()).as(method + " " + implementation).isPositive();
            }
        }
        assertThat(figures.get("methods").get("ties").get("parameters").get("density").asText()).isEqualTo("0.2");
        // and the temporary files are gone
        Path benchFolder = Path.of(System.getProperty("upcycle.home", ".upcycle"), "bench");
        try (var left = Files.list(benchFolder)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("merger-bench-"));
        }
    }
}
