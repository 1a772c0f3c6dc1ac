package io.upcycle.cli;

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
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final BenchCommand command = new BenchCommand(List.of(new EchoBench()), out);

    @Test
    void shouldEndWithOneJsonLineOfMachineAndFiguresWhenABenchRuns() throws Exception {
        // when
        int code = command.run(Args.parse(List.of("echo", "--times", "3"), Set.of()));

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
        assertThatThrownBy(() -> command.run(Args.parse(List.of("nope"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("known: echo");
    }

    @Test
    void shouldListTheBenchesAndTheirOptionsInHelp() throws Exception {
        // when
        int code = command.run(Args.parse(List.of(), Set.of()));

        // then
        assertThat(code).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("echo      repeats a word").contains("--times N");
        assertThat(BenchCommand.standard().help()).contains("trainer").contains("--rounds");
        assertThat(BenchCommand.standard().help()).contains("merger").contains("--experts").contains("--params");
        assertThat(BenchCommand.standard().help()).contains("--state-stores A,B").contains("(rocksdb|memory)")
                .contains("(default rocksdb,memory)");
    }

    @Test
    void shouldRefuseBadMergerOptionsBeforeWritingAnything() {
        // given
        BenchCommand merger = new BenchCommand(List.of(new MergerBench()), out);

        // when / then: nothing printed, so no engine loaded and no file written
        assertThatThrownBy(() -> merger.run(Args.parse(List.of("merger", "--experts", "0"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--experts");
        assertThatThrownBy(() -> merger.run(Args.parse(List.of("merger", "--params", "3"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--params");
        assertThatThrownBy(() -> merger.run(Args.parse(List.of("merger", "--repetitions", "0"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--repetitions");
        assertThat(bytes.size()).isZero();
    }

    @Test
    void shouldRefuseAnOptionTheBenchDoesNotKnow() {
        // when / then
        assertThatThrownBy(() -> command.run(Args.parse(List.of("echo", "--rounds", "1"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds").hasMessageContaining("--times");
    }

    @Test
    void shouldRefuseBadTrainerOptionsBeforeStartingAnything() {
        // given
        BenchCommand trainer = new BenchCommand(List.of(new TrainerBench()), out);

        // when / then: nothing printed, so no stack started either
        assertThatThrownBy(() -> trainer.run(Args.parse(List.of("trainer", "--rounds", "0"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> trainer.run(Args.parse(List.of("trainer", "--bootstrap-servers", "127.0.0.1:1"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--registry-url");
        assertThat(bytes.size()).isZero();
    }

    @Test
    void shouldRefuseBadMonitorStateStoresBeforeStartingAnything() {
        // given
        BenchCommand monitor = new BenchCommand(List.of(new MonitorBench()), out);

        // when / then: nothing printed, so no stack started either
        assertThatThrownBy(() -> monitor.run(Args.parse(List.of("monitor", "--state-stores", "memory,redis"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores")
                .hasMessageContaining("redis").hasMessageContaining("rocksdb, memory");
        assertThatThrownBy(() -> monitor.run(Args.parse(List.of("monitor", "--state-stores", "rocksdb,rocksdb"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores").hasMessageContaining("twice");
        assertThatThrownBy(() -> monitor.run(Args.parse(List.of("monitor", "--state-stores", "memory,"), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--state-stores");
        assertThat(bytes.size()).isZero();
    }

    /** A benchmark that measures nothing: returns its option and awkward values for the JSON writer. */
    private static final class EchoBench implements Bench {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String summary() {
            return "repeats a word";
        }

        @Override
        public String options() {
            return "  --times N   how often\n";
        }

        @Override
        public Set<String> keys() {
            return Set.of("times");
        }

        @Override
        public Map<String, Object> run(Args args, PrintStream out) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("times", args.getInt("times", 1));
            figures.put("text", "a \"quoted\"\tline");
            figures.put("nan", Double.NaN);
            return figures;
        }
    }
}
