package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer JVM killed with SIGKILL mid-run and started again with the same run id: the topics
 * hold every step exactly once, one RunEnded, and the final weights are bit for bit those of an
 * uninterrupted run with the same seed.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerResumeIT {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerResumeIT.class);
    private static final long STEPS = 2000;
    private static final long KILL_AFTER_CHECKPOINT = 500;

    @TempDir
    Path home;

    @Test
    void shouldPublishEachStepOnceAndEndAsAnUninterruptedRunWhenKilledAndRestarted(StackEndpoints stack) throws Exception {
        // given a base pretrained once, and a trainer JVM publishing a 2000-step run
        String runId = "it-resume-" + System.nanoTime();
        TrainerService.prepareBase(TrainerConfig.from(config(stack, runId, true)), TrainerChild.pretrain());
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        try (TopicTail<RunEvent> runs = new TopicTail<>(connection, topics.runs(), runId);
                TopicTail<StepMetrics> metrics = new TopicTail<>(connection, topics.stepMetrics(), runId);
                TopicTail<ExampleLosses> losses = new TopicTail<>(connection, topics.exampleLosses(), runId);
                TopicTail<CheckpointSaved> checkpoints = new TopicTail<>(connection, topics.checkpoints(), runId)) {
            Process first = TrainerChild.start(config(stack, runId, true), home.resolve(runId + "-first.log"));
            try {
                // when it is killed once a checkpoint of step >= 500 is on the topic
                await().pollInSameThread().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(60))
                        .until(() -> !first.isAlive() || checkpoints.values().stream().anyMatch(c -> c.getStep() >= KILL_AFTER_CHECKPOINT));
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                first.destroyForcibly();
            }
            // (the metrics of the checkpointed step went out before its CheckpointSaved, on another partition)
            await().pollInSameThread().atMost(Duration.ofSeconds(10))
                    .until(() -> lastStep(metrics.values()) >= KILL_AFTER_CHECKPOINT);
            long killedAfter = lastStep(metrics.values());
            LOG.info("killed the first trainer JVM (exit {}) with steps through {} and checkpoints {} on the topics",
                    first.exitValue(), killedAfter, checkpoints.values().stream().map(CheckpointSaved::getStep).toList());
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            assertThat(killedAfter).isBetween(KILL_AFTER_CHECKPOINT, STEPS - 1);
            // and restarted with the same run id until it ends
            Process second = TrainerChild.start(config(stack, runId, true), home.resolve(runId + "-second.log"));
            try {
                assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
            } finally {
                second.destroyForcibly();
            }
            assertThat(second.exitValue()).as("exit of the restarted trainer").isZero();
            // (it restored a checkpoint instead of recomputing from step 0)
            Matcher continued = Pattern.compile("continuing from step (\\d+)")
                    .matcher(Files.readString(home.resolve(runId + "-second.log")));
            assertThat(continued.find()).as("the restarted trainer logs where it continues").isTrue();
            assertThat(Long.parseLong(continued.group(1))).isBetween(250L, killedAfter);
            // and an uninterrupted run with the same seed trains offline in this JVM
            TrainingResult whole = TrainerService.run(TrainerConfig.from(config(stack, runId + "-whole", false)),
                    TrainerChild.task(), TrainerChild.pretrain());

            // then the lifecycle topic says: started, resumed, ended once
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> runs.poll().size() >= 3
                    && lastStep(metrics.values()) == STEPS && lastStep(losses.values()) == STEPS);
            List<ConsumerRecord<String, RunEvent>> lifecycle = runs.poll();
            assertThat(lifecycle).hasSize(3);
            assertThat(lifecycle.get(0).value().getEvent()).isInstanceOfSatisfying(RunStarted.class,
                    s -> assertThat(s.getResumedFromStep()).isNull());
            RunStarted resumed = (RunStarted) lifecycle.get(1).value().getEvent();
            assertThat(resumed.getResumedFromStep()).isNotNull().isBetween(KILL_AFTER_CHECKPOINT, STEPS - 1);
            assertThat(lifecycle.get(2).value().getEvent()).isInstanceOfSatisfying(RunEnded.class, e -> {
                assertThat(e.getReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
                assertThat(e.getFinalStep()).isEqualTo(STEPS);
            });
            // and every step is on each per-step topic exactly once, in order, stamped as the first attempt's clock says
            List<Long> all = LongStream.rangeClosed(1, STEPS).boxed().toList();
            assertThat(metrics.values()).extracting(StepMetrics::getStep).containsExactlyElementsOf(all);
            assertThat(losses.values()).filteredOn(l -> !l.getFullPass()).extracting(ExampleLosses::getStep)
                    .containsExactlyElementsOf(all);
            long origin = lifecycle.get(0).timestamp();
            assertThat(metrics.poll()).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(origin + r.value().getStep()));
            // and no checkpoint is announced twice, the last one being the final step's
            List<Long> saved = checkpoints.values().stream().map(CheckpointSaved::getStep).toList();
            assertThat(saved).doesNotHaveDuplicates().endsWith(STEPS);
            // and the final weights equal the uninterrupted run's, tensor by tensor
            Path finalCheckpoint = home.resolve("checkpoints").resolve(runId).resolve("step-" + STEPS + ".safetensors");
            assertThat(tensors(finalCheckpoint)).isEqualTo(tensors(whole.finalCheckpoint().path()));
            LOG.info("resumed from step {} after a kill at step {}; {} checkpoints {}", resumed.getResumedFromStep(),
                    killedAfter, saved.size(), saved);
        }
    }

    private Map<String, String> config(StackEndpoints stack, String runId, boolean publish) {
        Map<String, String> config = TrainerChild.syntheticRun(runId, STEPS, stack, home);
        config.put("publish", Boolean.toString(publish));
        return config;
    }

    private static long lastStep(List<?> values) {
        return values.stream().mapToLong(v -> v instanceof StepMetrics m ? m.getStep()
                : ((ExampleLosses) v).getFullPass() ? 0 : ((ExampleLosses) v).getStep()).max().orElse(0);
    }

    private static Map<String, List<Float>> tensors(Path checkpoint) {
        assertThat(checkpoint).isRegularFile();
        Map<String, List<Float>> tensors = new LinkedHashMap<>();
        try (SafetensorsFile file = Safetensors.open(checkpoint)) {
            for (String name : file.names()) {
                List<Float> values = new ArrayList<>();
                for (float v : file.read(name).data()) {
                    values.add(v);
                }
                tensors.put(name, values);
            }
        }
        return tensors;
    }
}
