package io.upcycle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.upcycle.bench.merger.MergerBench;
import io.upcycle.bench.monitor.MonitorBench;
import io.upcycle.bench.trainer.TrainerBench;
import io.upcycle.config.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class BenchCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final CommandLine command = BenchCommand.commandLine(List.of(new EchoBench()), out);

    @Test
    void shouldEndWithOneJsonLineOfMachineAndFiguresWhenABenchRuns() throws Exception {
        // when
        int code = CommandLines.call(command, "echo", "--times", "3");

        // then: the machine comes first, the JSON line last
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(code).isZero();
        assertThat(lines[1]).startsWith("machine: ").contains("cores").contains("JVM");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("bench").asText()).isEqualTo("echo");
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.get("load_average_before").isArray()).isTrue();
        assertThat(json.get("figures").get("times").asInt()).isEqualTo(3);
        assertThat(json.get("figures").get("text").asText()).isEqualTo("a \"quoted\"\tline");
        assertThat(json.get("figures").get("nan").isNull()).isTrue();
    }

    @Test
    void shouldNameTheKnownBenchesWhenOneIsUnknown() {
        // when / then
        assertThatThrownBy(() -> CommandLines.call(command, "nope"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("'nope'");
        assertThat(command.getSubcommands()).containsOnlyKeys("echo");
    }

    @Test
    void shouldListTheBenchesAndTheirOptionsInHelp() throws Exception {
        // when
        int code = CommandLines.call(command);

        // then
        assertThat(code).isEqualTo(2);
        assertThat(command.getUsageMessage()).contains("echo").contains("Repeats a word.");
        assertThat(command.getSubcommands().get("echo").getUsageMessage()).contains("--times=N");
        CommandLine standard = BenchCommand.commandLine(out);
        assertThat(standard.getSubcommands()).containsOnlyKeys("trainer", "merger", "monitor", "monitor-state");
        assertThat(standard.getSubcommands().get("trainer").getUsageMessage().replaceAll("\\s+", " ")).contains("--rounds=N")
                .contains("(default: 3)").contains("--client-config=FILE");
        assertThat(standard.getSubcommands().get("merger").getUsageMessage()).contains("--experts=N").contains("--params=N");
        assertThat(standard.getSubcommands().get("monitor").getUsageMessage()).contains("--state-stores=A,B")
                .contains("(rocksdb|memory)").contains("(default: rocksdb,memory)");
        assertThat(standard.getSubcommands().get("monitor-state").getUsageMessage()).contains("--examples=N,M")
                .contains("(default: 8192,1000000)");
    }

    @Test
    void shouldRefuseBadMergerOptionsBeforeWritingAnything() {
        // given
        CommandLine merger = BenchCommand.commandLine(List.of(new MergerBench()), out);

        // when / then: nothing printed, so no engine loaded and no file written
        assertThatThrownBy(() -> CommandLines.call(merger, "merger", "--experts", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--experts");
        assertThatThrownBy(() -> CommandLines.call(merger, "merger", "--params", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--params");
        assertThatThrownBy(() -> CommandLines.call(merger, "merger", "--repetitions", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--repetitions");
        assertThat(bytes.size()).isZero();
    }

    @Test
    void shouldRefuseAnOptionTheBenchDoesNotKnow() {
        // when / then
        assertThatThrownBy(() -> CommandLines.call(command, "echo", "--rounds", "1"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("'--rounds'");
    }

    @Test
    void shouldRefuseBadTrainerOptionsBeforeStartingAnything() {
        // given
        CommandLine trainer = BenchCommand.commandLine(List.of(new TrainerBench()), out);

        // when / then: nothing printed, so no stack started either
        assertThatThrownBy(() -> CommandLines.call(trainer, "trainer", "--rounds", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> CommandLines.call(trainer, "trainer", "--bootstrap-servers", "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--schema-registry-url");
        assertThat(bytes.size()).isZero();
    }

    @Test
    void shouldRefuseBadMonitorStateStoresBeforeStartingAnything() {
        // given
        CommandLine monitor = BenchCommand.commandLine(List.of(new MonitorBench()), out);

        // when / then: nothing printed, so no stack started either
        assertThatThrownBy(() -> CommandLines.call(monitor, "monitor", "--state-stores", "memory,redis"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores")
                .hasMessageContaining("redis").hasMessageContaining("rocksdb, memory");
        assertThatThrownBy(() -> CommandLines.call(monitor, "monitor", "--state-stores", "rocksdb,rocksdb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores").hasMessageContaining("twice");
        assertThatThrownBy(() -> CommandLines.call(monitor, "monitor", "--state-stores", "memory,"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores");
        assertThat(bytes.size()).isZero();
    }

    /** A benchmark that measures nothing: returns its option and awkward values for the JSON writer. */
    @Command(name = "echo", description = "Repeats a word.")
    private static final class EchoBench extends Bench {
        @Option(names = "--times", paramLabel = "N", description = "how often")
        int times = 1;

        @Override
        protected Map<String, Object> measure(PrintStream out) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("times", times);
            figures.put("text", "a \"quoted\"\tline");
            figures.put("nan", Double.NaN);
            return figures;
        }
    }
}
