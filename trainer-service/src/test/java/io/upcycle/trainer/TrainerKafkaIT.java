package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.trainer.network.BaseModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trainer against a real broker and registry: events on the topics, stop decisions obeyed. */
@ExtendWith(LocalStackExtension.class)
class TrainerKafkaIT {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerKafkaIT.class);
    @TempDir
    static Path home;
    private static TaskData task;
    private static BaseModel base;

    @BeforeAll
    static void pretrainATinyBase() {
        base = SyntheticTasks.tinyBase(home.resolve("base"));
        task = SyntheticTasks.clusters("synthetic-task", 4, 640, 4, 2);
    }

    @Test
    void shouldPublishEveryEventOfARunKeyedByRunId(StackEndpoints stack) {
        // given a 20-step run that publishes
        TrainerConfig config = config(stack, "it-events", 20);
        // when
        TrainingResult result = TrainerService.run(config, task, base);
        // then each topic holds the run's records, keyed by the run id, stamped start + step
        KafkaConnection connection = connection(stack);
        Topics topics = Topics.connect(connection);
        try (TopicTail<RunEvent> runs = new TopicTail<>(connection, topics.runs(), "it-events");
                TopicTail<StepMetrics> steps = new TopicTail<>(connection, topics.stepMetrics(), "it-events");
                TopicTail<ExampleLosses> losses = new TopicTail<>(connection, topics.exampleLosses(), "it-events");
                TopicTail<CheckpointSaved> checkpoints = new TopicTail<>(connection, topics.checkpoints(), "it-events")) {
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> runs.poll().size() == 2 && steps.poll().size() == 20
                    && losses.poll().size() == 20 && checkpoints.poll().size() == 18);
            List<ConsumerRecord<String, RunEvent>> lifecycle = runs.poll();
            RunStarted started = (RunStarted) lifecycle.get(0).value().getEvent();
            RunEnded ended = (RunEnded) lifecycle.get(1).value().getEvent();
            assertThat(started.getBaseModelSha256()).isEqualTo(base.sha256());
            assertThat(started.getExampleCount()).isEqualTo(640);
            assertThat(ended.getReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
            assertThat(ended.getFinalStep()).isEqualTo(20);
            long start = lifecycle.get(0).timestamp();
            assertThat(steps.poll()).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(start + r.value().getStep()));
            assertThat(losses.values()).extracting(ExampleLosses::getStep).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
            assertThat(losses.values()).allSatisfy(r -> assertThat(r.getLosses()).hasSize(64));
            // the default grid: 8 per octave (every step up to 16, then every second) and the last step
            assertThat(checkpoints.values()).extracting(CheckpointSaved::getStep).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
                    9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 18L, 20L);
            assertThat(checkpoints.values().get(17).getSha256()).isEqualTo(result.finalCheckpoint().sha256());
        }
    }

    @Test
    void shouldStopWithinOneStepWhenAnEnforcedDecisionArrivesMidRun(StackEndpoints stack) throws Exception {
        // given a long run training in the background
        String runId = "it-stop";
        TrainerConfig config = config(stack, runId, 1_000_000);
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() -> TrainerService.run(config, task, base));
        KafkaConnection connection = connection(stack);
        Topics topics = Topics.connect(connection);
        try (TopicTail<StepMetrics> steps = new TopicTail<>(connection, topics.stepMetrics(), runId);
                EventProducer producer = new EventProducer(connection)) {
            // when an OBSERVE decision arrives after step 10 and an ENFORCE one after step 30
            await().pollInSameThread().atMost(Duration.ofSeconds(60)).until(() -> lastStep(steps) >= 10);
            producer.send(topics.stopDecisions(), runId, decision(runId, "observe-10", 10, DecisionMode.OBSERVE), 0).get();
            await().pollInSameThread().atMost(Duration.ofSeconds(60)).until(() -> lastStep(steps) >= 30);
            long trigger = lastStep(steps);
            producer.send(topics.stopDecisions(), runId, decision(runId, "enforce-30", trigger, DecisionMode.ENFORCE), 0).get();
            TrainingResult result = run.get(60, TimeUnit.SECONDS);
            // then the OBSERVE decision was ignored and the ENFORCE one stopped the run within one step
            assertThat(result.endReason()).isEqualTo(EndReason.STOPPED);
            assertThat(result.stopDecisionId()).isEqualTo("enforce-30");
            assertThat(result.stopRequestedAfterStep()).isPresent();
            assertThat(result.stepsDone() - result.stopRequestedAfterStep().getAsLong()).isBetween(0L, 1L);
            assertThat(result.stopRequestedAfterStep().getAsLong()).isGreaterThanOrEqualTo(trigger);
            LOG.info("stop decision sent after step {} reached the trainer after step {}; it stopped after step {} at {} ms/step",
                    trigger, result.stopRequestedAfterStep().getAsLong(), result.stepsDone(), result.timings().msPerStep());
            try (TopicTail<RunEvent> runs = new TopicTail<>(connection, topics.runs(), runId);
                    TopicTail<CheckpointSaved> checkpoints = new TopicTail<>(connection, topics.checkpoints(), runId)) {
                await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> runs.poll().size() == 2);
                RunEnded ended = (RunEnded) runs.values().get(1).getEvent();
                assertThat(ended.getReason()).isEqualTo(EndReason.STOPPED);
                // the end names the decided step and how long after that step went out the loop stopped
                assertThat(ended.getStopDecidedAtStep()).isEqualTo(trigger);
                assertThat(ended.getStopLatencyMs()).isNotNull().isPositive().isLessThan(60_000.0);
                assertThat(ended.getStopDecisionId()).isEqualTo("enforce-30");
                assertThat(ended.getFinalStep()).isEqualTo(result.stepsDone());
                await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> checkpoints.values().stream()
                        .anyMatch(c -> c.getStep() == result.stepsDone()));
            }
        }
    }

    private static long lastStep(TopicTail<StepMetrics> steps) {
        List<StepMetrics> values = steps.values();
        return values.isEmpty() ? 0 : values.get(values.size() - 1).getStep();
    }

    private static StopDecision decision(String runId, String id, long step, DecisionMode mode) {
        return StopDecision.newBuilder()
                .setDecisionId(id)
                .setRunId(runId)
                .setTask(task.task())
                .setDecidedAtStep(step)
                .setPolicy("test")
                .setPolicyVersion(1)
                .setMode(mode)
                .setReason("the test says so")
                .build();
    }

    static TrainerConfig config(StackEndpoints stack, String runId, long steps) {
        return TrainerConfig.from(Map.of("task", task.task(), "run.id", runId, "steps", Long.toString(steps),
                "bootstrap.servers", stack.bootstrapServers(), "schema.registry.url", stack.registryUrl(),
                "home", home.toString(), "eval.every", "0", "checkpoint.every", "1000"));
    }

    static KafkaConnection connection(StackEndpoints stack) {
        return new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
    }
}
