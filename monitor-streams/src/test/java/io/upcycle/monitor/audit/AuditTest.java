package io.upcycle.monitor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.LossesLog;
import io.upcycle.monitor.MonitorTopology;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audits of logs recorded by the monitor's topology fed in production order (as a live monitor
 * sees them), written to a log file and replayed by {@link Audit} in timestamp order.
 */
class AuditTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldReproduceEveryRecordedDecisionWhenTheLogIsReplayed() throws IOException {
        // given two OBSERVE runs recorded by the monitor: a learns 10 examples a step, b 7
        Path file = record(UnaryOperator.identity());

        // when
        AuditReport report = Audit.fromFile(file, Map.of(), Set.of());

        // then both decisions are reproduced: a at step 10 (98 of 100 learned >= 0.97), b at 14, with their checkpoints
        assertThat(report.allReproduced()).isTrue();
        assertThat(report.runs()).extracting(RunAudit::runId).containsExactly("run-a", "run-b");
        assertThat(report.runs()).allSatisfy(r -> assertThat(r.evidenceIdentical()).isTrue());
        assertThat(report.runs().get(0).replayed()).extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 8L));
        assertThat(report.runs().get(1).replayed()).extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(14L, 12L));
        assertThat(report.runs()).extracting(RunAudit::lastStep).containsExactly(16L, 16L);
    }

    @Test
    void shouldGiveTheHandComputedStopStepWhenAThresholdIsChanged() throws IOException {
        // given the same log
        Path file = record(UnaryOperator.identity());

        // when the audit replays it again with targetFraction 0.5 and no warm-up
        AuditReport report = Audit.fromFile(file, Map.of("policy.target.fraction", "0.5", "policy.min.steps", "1"), Set.of());

        // then a reaches 50 of 100 at step 5 (checkpoint 4); b reaches 56 at step 8 (49 at 7), and the checkpoint
        // of step 8 shares the decision's event time, so it is not yet known: checkpoint 4
        assertThat(report.allReproduced()).isTrue();
        assertThat(report.runs().get(0).counterfactual()).extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, 4L));
        assertThat(report.runs().get(1).counterfactual()).extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8L, 4L));
        assertThat(report.runs().get(1).counterfactual().get(0).getParameters()).containsEntry("target.fraction", "0.5");
    }

    @Test
    void shouldFindNoStopWhenTheCounterfactualThresholdIsNeverReached() throws IOException {
        // given the same log, where no run learns more than 98 of 100 examples
        Path file = record(UnaryOperator.identity());

        // when
        AuditReport report = Audit.fromFile(file, Map.of("policy.target.fraction", "0.99"), Set.of("run-a"));

        // then only the end-of-run record of the budget end: the policy never fires
        assertThat(report.runs()).extracting(RunAudit::runId).containsExactly("run-a");
        assertThat(report.runs().get(0).counterfactual()).extracting(StopDecision::getPolicy).containsExactly("end-of-run");
    }

    @Test
    void shouldReportAMismatchWhenARecordedDecisionWasNotWhatTheTopologyDecides() throws IOException {
        // given a log whose recorded decision of run a names another checkpoint than the monitor would
        Path file = record(d -> d.getRunId().equals("run-a") ? StopDecision.newBuilder(d).setCheckpointStep(4L).build() : d);

        // when
        AuditReport report = Audit.fromFile(file, Map.of(), Set.of());

        // then
        assertThat(report.allReproduced()).isFalse();
        assertThat(report.runs().get(0).mismatches()).containsExactly(
                "decision run-a:learned-fraction-v1:10: checkpoint step recorded 4, replayed 8");
        assertThat(report.runs().get(1).reproduced()).isTrue();
    }

    @Test
    void shouldReplayEachRunInItsOwnEventTimeOrderWhenAPartitionsTimestampsGoBackwards() throws IOException {
        // given run b produced wholly after run a on the same partitions but stamped from t0 + 3: its start
        // (t0 + 3) sits behind a's end (t0 + 17) on the runs partition. Live, in arrival order, b decides at 14.
        Path file = record(UnaryOperator.identity(), false);

        // when
        AuditReport report = Audit.fromFile(file, Map.of(), Set.of("run-b"));

        // then the replay follows each run's own clock (per run and partition by offset, runs merged by
        // timestamp): b starts before its steps, nothing is dead-lettered and b decides at 14 again. Merging
        // whole partitions by timestamp would meet b's steps 1..13 before its start and dead-letter them.
        RunAudit b = report.runs().get(0);
        assertThat(b.deadLetters().count()).isZero();
        assertThat(b.replayed()).extracting(StopDecision::getDecidedAtStep).containsExactly(14L);
        assertThat(b.reproduced()).isTrue();
    }

    private Path record(UnaryOperator<StopDecision> edit) throws IOException {
        return record(edit, true);
    }

    /**
     * Runs the topology on the events in production order (a's and b's interleaved, or all of a's first)
     * and writes events plus its decisions ({@code edit}ed) to a file.
     */
    private Path record(UnaryOperator<StopDecision> edit, boolean interleaved) throws IOException {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Topics topics = Topics.connect(registry);
        List<RecordedRun.Event> events = new ArrayList<>();
        List<RecordedRun.Event> a = RecordedRun.events(topics, "run-a", 10, 16, T0);
        List<RecordedRun.Event> b = RecordedRun.events(topics, "run-b", 7, 16, T0 + 3);
        if (!interleaved) {
            events.addAll(a);
            events.addAll(b);
        }
        for (int i = 0; interleaved && i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                events.add(a.get(i));
            }
            if (i < b.size()) {
                events.add(b.get(i));
            }
        }
        Map<String, List<LoggedRecord>> byTopic = new LinkedHashMap<>();
        MonitorConfig config = MonitorConfig.from(Map.of(KafkaConnection.BOOTSTRAP_SERVERS, "127.0.0.1:9",
                KafkaConnection.REGISTRY_URL, "http://127.0.0.1:9", MonitorConfigKeys.STATE_DIR, dir.resolve("state").toString(),
                MonitorConfigKeys.DECISION_MODE, "OBSERVE"));
        try (TopologyTestDriver live = new TopologyTestDriver(MonitorTopology.build(config, topics, LossesLog.inMemory()), config.streamsProperties())) {
            for (RecordedRun.Event e : events) {
                byte[] key = e.runId().getBytes(StandardCharsets.UTF_8);
                byte[] value = RecordedRun.bytes(e);
                add(byTopic, e.topic().name(), key, value, e.timestamp());
                live.createInputTopic(e.topic().name(), new ByteArraySerializer(), new ByteArraySerializer())
                        .pipeInput(new TestRecord<>(key, value, null, e.timestamp()));
            }
            for (TestRecord<byte[], byte[]> d : live.createOutputTopic(Topics.STOP_DECISIONS, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList()) {
                StopDecision decision = edit.apply(topics.stopDecisions().valueSerde().deserializer().deserialize(Topics.STOP_DECISIONS, d.value()));
                add(byTopic, Topics.STOP_DECISIONS, d.key(),
                        topics.stopDecisions().valueSerde().serializer().serialize(Topics.STOP_DECISIONS, decision), d.timestamp());
            }
        }
        Path file = dir.resolve("recorded.log");
        try (LogWriter writer = new LogWriter(file)) {
            for (Map.Entry<String, List<LoggedRecord>> topic : byTopic.entrySet()) {
                writer.section(topic.getKey(), 0);
                for (LoggedRecord r : topic.getValue()) {
                    int id = RecordedRun.schemaId(r.value());
                    writer.schema(id, registry.schemaById(id));
                    writer.record(r);
                }
            }
        }
        return file;
    }

    private static void add(Map<String, List<LoggedRecord>> byTopic, String topic, byte[] key, byte[] value, long timestamp) {
        List<LoggedRecord> records = byTopic.computeIfAbsent(topic, t -> new ArrayList<>());
        records.add(new LoggedRecord(topic, 0, records.size(), timestamp, key, value));
    }
}
