package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.files.FileTrees;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run long enough for its example arrays to be snapshotted and then changed by records applied
 * since, restored on a real broker: a monitor whose local state is gone reads them back from the
 * changelogs and the losses topic, value for value.
 */
@ExtendWith(LocalStackExtension.class)
class MonitorExampleStoreIT {
    private static final int EXAMPLES = 20_000;
    private static final int BATCH = 256;
    private static final int STEPS = 400;

    @Test
    void shouldRestoreEveryExampleValueFromTheChangelogsWhenTheLocalStateIsGone(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        // given a monitor, and a run of 20,000 examples trained 400 steps of 256 random examples with correctness and
        // EL2N: a snapshot after 4 epochs' worth of losses (step 313), and 87 records after it, replayed from the input
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        String run = "examples-" + UUID.randomUUID();
        Map<String, String> values = Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, connection.registryUrl(),
                MonitorConfigKeys.APPLICATION_ID, "monitor-" + run);
        Path firstState = dir.resolve("first");
        RunState before;
        try (MonitorService monitor = MonitorService.start(MonitorConfig.from(withStateDir(values, firstState)));
             EventProducer producer = new EventProducer(connection)) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            long t0 = System.currentTimeMillis();
            producer.send(topics.runs(), run, Events.started(run, EXAMPLES), t0);
            producer.flush();
            Random random = new Random(3);
            for (int step = 1; step <= STEPS; step++) {
                int[] ids = new int[BATCH];
                float[] losses = new float[BATCH];
                boolean[] correct = new boolean[BATCH];
                float[] el2n = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    ids[i] = random.nextInt(EXAMPLES);
                    losses[i] = 0.5f + random.nextFloat();
                    correct[i] = random.nextBoolean();
                    el2n[i] = random.nextFloat();
                }
                producer.send(topics.exampleLosses(), run, Events.losses(run, step, ids, losses, correct, el2n), t0 + step);
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> monitor.runState(run).map(s -> s.stepsObserved() == STEPS)
                    .orElse(false));
            before = monitor.runState(run).orElseThrow();
        }
        assertThat(before.examplesSeen()).isGreaterThan(19_000);
        assertThat(before.examplesGeneration()).isEqualTo(1);
        assertThat(before.pendingRecords()).isEqualTo(STEPS - 4 * EXAMPLES / BATCH - 1);

        // when the local state is deleted and a new monitor of the same application starts
        FileTrees.delete(firstState);
        try (MonitorService monitor = MonitorService.start(MonitorConfig.from(withStateDir(values, dir.resolve("second"))))) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(90))).isTrue();
            RunState after = await().atMost(Duration.ofSeconds(60)).until(() -> monitor.runState(run).orElse(null),
                    state -> state != null);

            // then every array is back, value for value, with the counters
            assertThat(after.stepsObserved()).isEqualTo(STEPS);
            assertThat(after.examplesSeen()).isEqualTo(before.examplesSeen());
            assertThat(Arrays.equals(after.latestLosses(), before.latestLosses())).as("latest losses").isTrue();
            assertThat(Arrays.equals(after.examples().el2n(), before.examples().el2n())).as("EL2N").isTrue();
            assertThat(after.examples().forgettingEvents()).isPositive().isEqualTo(before.examples().forgettingEvents());
            for (int id = 0; id < EXAMPLES; id++) {
                assertThat(after.examples().forgets(id)).as("forgets of %d", id).isEqualTo(before.examples().forgets(id));
            }
            assertThat(after.learnedCount(1.0)).isEqualTo(before.learnedCount(1.0));
        }
    }

    private static Map<String, String> withStateDir(Map<String, String> values, Path stateDir) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.put(MonitorConfigKeys.STATE_DIR, stateDir.toString());
        return all;
    }
}
