package io.upcycle.monitor.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real monitor records decisions on a real broker; they are exported to a file and audited offline. */
@ExtendWith(LocalStackExtension.class)
class AuditIT {
    @Test
    void shouldReproduceTheLiveMonitorsDecisionsFromAnExportedFile(StackEndpoints stack, @TempDir Path dir) throws Exception {
        // given a live monitor in OBSERVE mode and two runs no other test uses, one after the other on the same
        // partitions: a learns 10 examples a step, b 7; an undecodable record (unknown schema id) slips in between
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        String prefix = "audit-" + UUID.randomUUID();
        String a = prefix + "-a";
        String b = prefix + "-b";
        MonitorConfig config = MonitorConfig.from(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, connection.registryUrl(),
                MonitorConfigKeys.APPLICATION_ID, "monitor-" + prefix,
                MonitorConfigKeys.STATE_DIR, dir.resolve("state").toString(),
                MonitorConfigKeys.DECISION_MODE, "OBSERVE"));
        Topics topics = Topics.connect(connection);
        long t0 = System.currentTimeMillis();
        try (MonitorService monitor = MonitorService.start(config); EventProducer producer = new EventProducer(connection)) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            for (RecordedRun.Event e : RecordedRun.events(topics, a, 10, 16, t0)) {
                send(producer, monitor, e);
            }
            producer.sendRaw(Topics.EXAMPLE_LOSSES, b.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0x7f, 0, 0, 1, 42}, t0 + 18);
            for (RecordedRun.Event e : RecordedRun.events(topics, b, 7, 16, t0 + 20)) {
                send(producer, monitor, e);
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> monitor.runState(a).map(s -> s.ended()).orElse(false)
                    && monitor.runState(b).map(s -> s.ended()).orElse(false));
        } // closing commits the monitor's last transaction

        // when its log is exported and audited offline, as is and with targetFraction 0.5 without warm-up
        Path file = dir.resolve("runs.log");
        Map<String, Long> written = TopicExporter.export(connection, file, Set.of(a, b));
        AuditReport report = Audit.fromFile(file, Map.of(), Set.of());
        AuditReport whatIf = Audit.fromFile(file, Map.of("policy.target.fraction", "0.5", "policy.min.steps", "1"), Set.of());
        AuditReport live = Audit.fromTopics(connection, Map.of(), Set.of(a, b));

        // then both live decisions were recorded and are reproduced, and the undecodable record is dead-lettered again
        assertThat(written).containsEntry(Topics.STOP_DECISIONS, 2L).containsEntry(Topics.CHECKPOINTS, 8L);
        assertThat(report.allReproduced()).as(report.toString()).isTrue();
        assertThat(report.runs()).extracting(RunAudit::runId).containsExactly(a, b);
        assertThat(report.runs()).flatExtracting(RunAudit::recorded)
                .extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(Tuple.tuple(10L, 8L), Tuple.tuple(14L, 12L));
        assertThat(report.runs()).allSatisfy(r -> assertThat(r.evidenceIdentical()).isTrue());
        assertThat(report.deadLetters()).isEqualTo(1);
        // and the counterfactual stops a at step 5 (50 of 100 learned) and b at step 8 (56; 49 at step 7)
        assertThat(whatIf.runs()).flatExtracting(RunAudit::counterfactual)
                .extracting(StopDecision::getDecidedAtStep, StopDecision::getCheckpointStep)
                .containsExactly(Tuple.tuple(5L, 4L), Tuple.tuple(8L, 4L));
        // and auditing the topics directly gives the same verdicts
        assertThat(live.allReproduced()).isTrue();
        assertThat(live.runs()).flatExtracting(RunAudit::replayed).isEqualTo(report.runs().stream()
                .flatMap(r -> r.replayed().stream()).toList());
        assertThat(List.of(report, whatIf, live)).allSatisfy(r -> assertThat(r.records()).isEqualTo(2L * (1 + 16 + 4 + 1) + 1));
    }

    /**
     * Sends one event; a run's start and each checkpoint are seen by the monitor before the next
     * event is sent, as with a real trainer whose next step takes far longer than a fetch. (Sent back
     * to back, the monitor, which does not wait for idle inputs, may fetch the steps first: steps of
     * an unknown run are dead-lettered, and a step that decides before the checkpoint on the other
     * topic is fetched names no checkpoint. Then the live decision depends on fetch timing and the
     * audit rightly reports it as not reproduced: a fresh-clone CI run once saw the second.)
     */
    private static void send(EventProducer producer, MonitorService monitor, RecordedRun.Event e) {
        byte[] key = e.runId().getBytes(StandardCharsets.UTF_8);
        producer.sendRaw(e.topic().name(), key, RecordedRun.bytes(e), e.timestamp());
        if (e.topic().name().equals(Topics.RUNS)) {
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.runState(e.runId()).isPresent());
        } else if (e.value() instanceof CheckpointSaved checkpoint) {
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.runState(e.runId())
                    .map(s -> s.lastCheckpointStep() >= checkpoint.getStep()).orElse(false));
        }
    }
}
