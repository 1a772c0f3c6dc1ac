package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.testing.FaultInjector;
import io.upcycle.trainer.events.EventPublishingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops while a trainer publishes: a short outage is ridden out with every event once and
 * in order; past {@code outage.wait.ms} the run fails naming the broker, and a resume continues it
 * with every step once.
 */
class TrainerBrokerOutageIT {
    private static final long STEPS = 3000;

    @TempDir
    Path home;

    @Test
    void shouldRideOutAShortBrokerOutageWithEveryEventOnceAndInOrder() throws Exception {
        try (FaultInjector stack = FaultInjector.start()) {
            // given a run publishing with outage.wait.ms 60 s
            String runId = "outage-short";
            Map<String, String> config = config(stack, runId, 60_000, false);
            TrainerService.prepareBase(TrainerConfig.from(config), TrainerChild.pretrain());
            KafkaConnection connection = connection(stack);
            Topics.ensureCreated(connection, 1);
            Topics topics = Topics.connect(connection);
            try (TopicTail<StepMetrics> metrics = new TopicTail<>(connection, topics.stepMetrics(), runId)) {
                CompletableFuture<TrainingResult> training = train(config);

                // when the broker stops for 10 s once 300 steps are on the topic, through which the run does not fail
                await().atMost(Duration.ofSeconds(60)).until(() -> metrics.values().size() >= 300 || training.isDone());
                stack.stopBroker();
                await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .alias("the run riding out the outage").until(() -> !training.isCompletedExceptionally());
                stack.startBroker();

                // then the run ends normally, and the log holds every step once, in order, and one end
                TrainingResult result = training.get(120, TimeUnit.SECONDS);
                assertThat(result.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
                assertEveryStepOnce(connection, topics, runId, 1);
            }
        }
    }

    @Test
    void shouldFailTheRunNamingTheBrokerPastTheDeadlineAndResumeWithEveryStepOnce() throws Exception {
        try (FaultInjector stack = FaultInjector.start()) {
            // given a run that waits out at most 5 s of outage
            String runId = "outage-long";
            Map<String, String> config = config(stack, runId, 5_000, false);
            TrainerService.prepareBase(TrainerConfig.from(config), TrainerChild.pretrain());
            KafkaConnection connection = connection(stack);
            Topics.ensureCreated(connection, 1);
            Topics topics = Topics.connect(connection);
            try (TopicTail<StepMetrics> metrics = new TopicTail<>(connection, topics.stepMetrics(), runId)) {
                CompletableFuture<TrainingResult> training = train(config);

                // when the broker stops for longer, once 300 steps are on the topic
                await().atMost(Duration.ofSeconds(60)).until(() -> metrics.values().size() >= 300 || training.isDone());
                stack.stopBroker();

                // then the run fails naming the broker and the way on
                Throwable failure = null;
                try {
                    training.get(120, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                assertThat(failure).isInstanceOf(EventPublishingException.class)
                        .hasMessageContaining("broker at " + stack.endpoints().bootstrapServers())
                        .hasMessageContaining("resume");
            }
            // and once the broker is back, a resume finishes the run with every step once
            stack.startBroker();
            TrainingResult resumed = train(config(stack, runId, 5_000, true)).get(180, TimeUnit.SECONDS);
            assertThat(resumed.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
            assertEveryStepOnce(connection, topics, runId, 2);
        }
    }

    private static void assertEveryStepOnce(KafkaConnection connection, Topics topics, String runId, int starts) {
        List<Long> all = LongStream.rangeClosed(1, STEPS).boxed().toList();
        try (TopicTail<StepMetrics> metrics = new TopicTail<>(connection, topics.stepMetrics(), runId);
             TopicTail<ExampleLosses> losses = new TopicTail<>(connection, topics.exampleLosses(), runId);
             TopicTail<RunEvent> runs = new TopicTail<>(connection, topics.runs(), runId)) {
            assertThat(metrics.readToEnd()).extracting(StepMetrics::getStep).containsExactlyElementsOf(all);
            assertThat(losses.readToEnd()).filteredOn(l -> !l.getFullPass()).extracting(ExampleLosses::getStep)
                    .containsExactlyElementsOf(all);
            List<Object> lifecycle = runs.readToEnd().stream().map(e -> (Object) e.getEvent()).toList();
            assertThat(lifecycle).hasSize(starts + 1);
            assertThat(lifecycle.subList(0, starts)).allMatch(RunStarted.class::isInstance);
            assertThat(lifecycle.get(starts)).isInstanceOfSatisfying(RunEnded.class, e -> {
                assertThat(e.getReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
                assertThat(e.getFinalStep()).isEqualTo(STEPS);
            });
        }
    }

    private static CompletableFuture<TrainingResult> train(Map<String, String> config) {
        return CompletableFuture.supplyAsync(() -> TrainerService.run(TrainerConfig.from(config), TrainerChild.task(),
                TrainerChild.pretrain()));
    }

    private static KafkaConnection connection(FaultInjector stack) {
        return new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
    }

    private Map<String, String> config(FaultInjector stack, String runId, long outageWaitMs, boolean resume) {
        Map<String, String> config = TrainerChild.syntheticRun(runId, STEPS, stack.endpoints(), home);
        config.put("resume", Boolean.toString(resume));
        config.put("outage.wait.ms", Long.toString(outageWaitMs));
        return config;
    }
}
