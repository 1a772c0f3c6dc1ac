package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.monitor.audit.Audit;
import io.upcycle.monitor.audit.LogWriter;
import io.upcycle.monitor.audit.LoggedRecord;
import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import io.upcycle.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import io.upcycle.config.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    static final String RUN = "cli-run";
    static final long T0 = 1_700_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AuditCommand command = new AuditCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Topics topics = Topics.connect(registry);

    @Test
    void shouldExitZeroAndExplainWhenTheRecordedDecisionIsReproduced() throws Exception {
        // given a run whose recorded decision is the one the monitor makes on it (learns 10 of 100 a step: step 10)
        StopDecision decision = Audit.fromFile(write(null), Map.of(), Set.of()).runs().get(0).replayed().get(0);
        Path file = write(decision);

        // when audited, with a counterfactual target of 0.5 and no warm-up
        int code = CommandLines.call(new CommandLine(command), "--from-file", file.toString(), "--policy", "target.fraction=0.5",
                "--policy", "min.steps=1");

        // then
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("run cli-run: REPRODUCED (1 decision(s) recorded, 1 replayed; evidence identical)")
                .contains("cli-run:learned-fraction-v1:10 at step 10, checkpoint 8")
                .contains("policy learned-fraction v1 {target.fraction=0.97, loss.threshold=0.1, min.steps=10}")
                .contains("learned-fraction by step (last 8 of 10): 3: 0.3000, ")
                .contains("10: 0.9800")
                .contains("top hard examples: [")
                .contains("this run would have stopped at step 5, checkpoint 4 (recorded: step 10)")
                .contains("every decision reproduced");
    }

    @Test
    void shouldExitNonZeroAndNameTheDifferenceWhenTheRecordedDecisionIsNotReproduced() throws Exception {
        // given a recorded decision that names the checkpoint of step 4 where the monitor names 8
        StopDecision decision = Audit.fromFile(write(null), Map.of(), Set.of()).runs().get(0).replayed().get(0);
        Path file = write(StopDecision.newBuilder(decision).setCheckpointStep(4L).build());

        // when
        int code = CommandLines.call(new CommandLine(command), "--from-file", file.toString());

        // then
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(text).contains("run cli-run: NOT REPRODUCED")
                .contains("mismatch: decision cli-run:learned-fraction-v1:10: checkpoint step recorded 4, replayed 8")
                .contains("1 run(s) NOT reproduced");
    }

    @Test
    void shouldRefuseADamagedFileWithAMessage() throws Exception {
        // given a file cut short
        Path file = write(null);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));

        // when / then
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command), "--from-file", file.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldRefuseAnInvalidCounterfactualValueNamingIt() throws Exception {
        // given
        Path file = write(null);

        // when / then
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command), "--from-file", file.toString(), "--policy", "target.fraction=2")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy.target.fraction");
    }

    @Test
    void shouldRefuseAnUnknownOption() {
        assertThatThrownBy(() -> CommandLines.call(new CommandLine(command), "--from-fil", "x"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--from-fil");
    }

    /** A run of 12 steps, 10 of 100 examples more learned each, checkpoints every 4 steps, and {@code decision} if not null. */
    private Path write(StopDecision decision) throws IOException {
        Path file = Files.createTempFile(dir, "audit", ".log");
        try (LogWriter w = new LogWriter(file)) {
            section(w, topics.runs(), List.of(RunEvent.newBuilder().setEvent(SampleEvents.started(RUN, 100).setClassCount(2).build()).build()),
                    List.of(T0));
            List<ExampleLosses> losses = new ArrayList<>();
            List<CheckpointSaved> checkpoints = new ArrayList<>();
            List<Long> lossTimes = new ArrayList<>();
            List<Long> checkpointTimes = new ArrayList<>();
            for (int s = 1; s <= 12; s++) {
                List<Integer> ids = new ArrayList<>();
                List<Float> values = new ArrayList<>();
                for (int id = 0; id < 100; id++) {
                    ids.add(id);
                    values.add(id < Math.min(98, 10 * s) ? 0.05f : 1f + id / 1000f);
                }
                losses.add(ExampleLosses.newBuilder().setRunId(RUN).setStep(s).setExampleIds(ids).setLosses(values).build());
                lossTimes.add(T0 + s);
                if (s % 4 == 0) {
                    checkpoints.add(CheckpointSaved.newBuilder().setRunId(RUN).setStep(s).setUri("file:/c/" + s).setSha256(sha(s))
                            .setSizeBytes(1).setKind(CheckpointKind.FULL_WEIGHTS).build());
                    checkpointTimes.add(T0 + s);
                }
            }
            section(w, topics.exampleLosses(), losses, lossTimes);
            section(w, topics.checkpoints(), checkpoints, checkpointTimes);
            if (decision != null) {
                section(w, topics.stopDecisions(), List.of(decision), List.of(T0 + decision.getDecidedAtStep()));
            }
        }
        return file;
    }

    private <V extends SpecificRecord> void section(LogWriter w, Topic<String, V> topic, List<V> values, List<Long> times) throws IOException {
        w.section(topic.name(), 0);
        for (int i = 0; i < values.size(); i++) {
            byte[] value = topic.valueSerde().serializer().serialize(topic.name(), values.get(i));
            int id = WireFormat.schemaId(topic.name(), value);
            w.schema(id, registry.schemaById(id));
            w.record(new LoggedRecord(topic.name(), 0, i, times.get(i), RUN.getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private static String sha(long n) {
        return SampleEvents.sha256(n);
    }
}
