package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicReader;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.testing.RepositoryRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer contract (docs/trainer-contract.md) from outside the JVM: examples/python/trainer.py,
 * on Debian's python3-confluent-kafka and python3-avro, streams a run to the embedded broker and
 * registry; the monitor, in ENFORCE, must take every event, decide, and stop it; the trainer must
 * end its run on that decision.
 */
@ExtendWith(LocalStackExtension.class)
class PythonTrainerIT {
    private static final int BUDGET = 600;
    private static final int CHECKPOINT_EVERY = 10;

    @Test
    void shouldStopATrainerWrittenInPythonThatFollowsTheContract(StackEndpoints stack, @TempDir Path work) throws Exception {
        // given Debian's Python Kafka client, and a monitor in ENFORCE on the embedded stack
        DebianPython.require();
        Path root = RepositoryRoot.find();
        String run = "python-" + Long.toString(System.nanoTime(), 36);
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        try (MonitorService monitor = MonitorService.start(MonitorConfig.from(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, stack.bootstrapServers(), KafkaConnection.REGISTRY_URL, stack.registryUrl(),
                MonitorConfigKeys.APPLICATION_ID, "monitor-" + run, MonitorConfigKeys.STATE_DIR, work.resolve("state").toString(),
                MonitorConfigKeys.DECISION_MODE, "ENFORCE", MonitorConfigKeys.HTTP_PORT, "-1")))) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when the Python trainer streams its run
            Path log = work.resolve("trainer.log");
            Process trainer = new ProcessBuilder(DebianPython.BINARY.toString(), root.resolve("examples/python/trainer.py").toString(),
                    "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
                    "--schemas", root.resolve("schemas/src/main/avro").toString(), "--run-id", run,
                    "--steps", Integer.toString(BUDGET), "--checkpoint-every", Integer.toString(CHECKPOINT_EVERY),
                    "--checkpoints", work.resolve("checkpoints").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = trainer.waitFor(3, TimeUnit.MINUTES);
            if (!exited) {
                trainer.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited).as("trainer exited within 3 minutes:%n%s", output).isTrue();
            assertThat(trainer.exitValue()).as("trainer exit code:%n%s", output).isZero();

            // then it says it was stopped by a decision, before its budget
            List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(output).isNotEmpty();
            JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertThat(summary.get("reason").asText()).as(output).isEqualTo("STOPPED");
            assertThat(summary.get("final_step").asLong()).isLessThan(BUDGET);

            // and the log holds its run as the monitor and our tools read it: started, decided in ENFORCE, ended on the decision
            Topics topics = Topics.connect(connection);
            List<RunStarted> started = new ArrayList<>();
            List<RunEnded> ended = new ArrayList<>();
            TopicReader.readToEnd(connection, topics.runs(), Duration.ofMinutes(1), r -> {
                if (run.equals(r.key()) && r.value().getEvent() instanceof RunStarted s) {
                    started.add(s);
                } else if (run.equals(r.key()) && r.value().getEvent() instanceof RunEnded e) {
                    ended.add(e);
                }
            }, e -> { });
            List<StopDecision> decisions = new ArrayList<>();
            TopicReader.readToEnd(connection, topics.stopDecisions(), Duration.ofMinutes(1), r -> {
                if (run.equals(r.key())) {
                    decisions.add(r.value());
                }
            }, e -> { });
            List<DeadLetter> deadLetters = new ArrayList<>();
            TopicReader.readToEnd(connection, topics.deadLetters(), Duration.ofMinutes(1), r -> {
                if (r.value().getKey() != null && run.equals(StandardCharsets.UTF_8.decode(r.value().getKey()).toString())) {
                    deadLetters.add(r.value());
                }
            }, e -> { });
            assertThat(deadLetters).as("dead letters of the Python run").isEmpty();
            assertThat(started).singleElement().satisfies(s -> assertThat(s.getExampleCount()).isPositive());
            assertThat(decisions).singleElement().satisfies(d -> {
                assertThat(d.getMode().name()).isEqualTo("ENFORCE");
                assertThat(d.getCheckpointStep()).isNotNull();
                assertThat(d.getCheckpointStep() % CHECKPOINT_EVERY).isZero();
                assertThat(d.getCheckpointStep()).isLessThanOrEqualTo(d.getDecidedAtStep());
                assertThat(d.getCheckpointUri()).startsWith(work.resolve("checkpoints").toUri().toString());
                assertThat(summary.get("decision").asText()).isEqualTo(d.getDecisionId());
            });
            StopDecision decision = decisions.get(0);
            assertThat(ended).singleElement().satisfies(e -> {
                assertThat(e.getReason()).isEqualTo(EndReason.STOPPED);
                assertThat(e.getStopDecisionId()).isEqualTo(decision.getDecisionId());
                assertThat(e.getStopDecidedAtStep()).isEqualTo(decision.getDecidedAtStep());
                assertThat(e.getFinalStep()).isBetween(decision.getDecidedAtStep(), (long) BUDGET - 1);
                assertThat(e.getStopLatencyMs()).isNotNull().isNotNegative();
            });
        }
    }
}
