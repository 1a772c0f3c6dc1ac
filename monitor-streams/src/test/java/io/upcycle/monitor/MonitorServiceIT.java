package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The monitor against a real broker and schema registry, end to end through Kafka. */
@ExtendWith(LocalStackExtension.class)
class MonitorServiceIT {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorServiceIT.class);
    private static final int EXAMPLES = 100;

    @Test
    void shouldStopASyntheticRunAndDeadLetterUndecodableBytes(StackEndpoints stack, @TempDir Path stateDir) throws Exception {
        // given a running monitor and run ids no other test uses
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        String run = "it-" + UUID.randomUUID();
        Topics topics = Topics.connect(connection);
        try (MonitorService monitor = MonitorService.start(config(connection, run, stateDir, Map.of()));
             EventProducer producer = new EventProducer(connection);
             KafkaConsumer<byte[], byte[]> outputs = outputs(connection, run)) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            awaitAssigned(outputs);
            Outputs read = new Outputs(topics);
            Trainer trainer = new Trainer(producer, topics, System.currentTimeMillis());

            // when a run starts, trains 10 steps learning 10 more examples each (capped at 98 of 100) with
            // checkpoints at steps 4 and 8, an undecodable record slips in after step 5, and it goes on to step 14
            byte[] garbage = {0, 0, 0, 0, 1, 42, 42};
            trainer.start(run);
            trainer.train(run, 1, 5);
            producer.sendRaw(Topics.EXAMPLE_LOSSES, run.getBytes(StandardCharsets.UTF_8), garbage, trainer.at(5));
            trainer.train(run, 6, 10);
            long sent = System.nanoTime();
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
                    .until(() -> !read.poll(outputs).decisions(run).isEmpty());
            LOG.info("first stop decision (cold: schema registration, first transaction) read {} ms after its step was acknowledged",
                    (System.nanoTime() - sent) / 1_000_000);
            trainer.train(run, 11, 14);
            await().atMost(Duration.ofSeconds(60)).until(() -> monitor.runState(run).map(s -> s.step() == 14).orElse(false));
            await().atMost(Duration.ofSeconds(30)).until(() -> !read.poll(outputs).letters(run).isEmpty());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> read.poll(outputs).decisions(run).size() == 1); // no second decision turns up

            // then one decision at step 10 naming the checkpoint of step 8, and the garbage dead-lettered
            StopDecision decision = read.decisions(run).get(0);
            assertThat(decision.getDecidedAtStep()).isEqualTo(10);
            assertThat(decision.getCheckpointStep()).isEqualTo(8);
            assertThat(decision.getCheckpointSha256()).isEqualTo(Events.sha256(8));
            assertThat(read.letters(run)).hasSize(1);
            DeadLetter letter = read.letters(run).get(0);
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLE_LOSSES);
            assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZATION);
            assertThat(MonitorTopologyDeadLetterTest.bytes(letter.getValue())).isEqualTo(garbage);
            assertThat(monitor.runState(run)).hasValueSatisfying(state -> assertThat(state.decidedAtStep()).isEqualTo(10));

            // and a second run on the warm monitor is decided alike (its latency is logged, not asserted)
            String second = run + "-2";
            trainer.start(second);
            trainer.train(second, 1, 10);
            long sentSecond = System.nanoTime();
            await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(60))
                    .until(() -> !read.poll(outputs).decisions(second).isEmpty());
            LOG.info("stop decision of a warm monitor read {} ms after its step was acknowledged",
                    (System.nanoTime() - sentSecond) / 1_000_000);
            assertThat(read.decisions(second)).extracting(StopDecision::getDecidedAtStep).containsExactly(10L);
        }
    }

    @Test
    void shouldCommitAStopDecisionAtOnceInsteadOfWaitingForTheCommitInterval(StackEndpoints stack, @TempDir Path stateDir)
            throws Exception {
        // given a monitor whose transactions commit only every 60 s (the longest the key allows)
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        String run = "it-commit-" + UUID.randomUUID();
        Topics topics = Topics.connect(connection);
        try (MonitorService monitor = MonitorService.start(config(connection, run, stateDir,
                     Map.of(MonitorConfigKeys.COMMIT_INTERVAL_MS, "60000")));
             EventProducer producer = new EventProducer(connection);
             KafkaConsumer<byte[], byte[]> outputs = outputs(connection, run)) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            awaitAssigned(outputs);
            Outputs read = new Outputs(topics);
            Trainer trainer = new Trainer(producer, topics, System.currentTimeMillis());

            // when a run crosses the threshold at step 10
            trainer.start(run);
            trainer.train(run, 1, 10);

            // then a read_committed reader sees its decision long before the interval's first commit
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(20))
                    .until(() -> !read.poll(outputs).decisions(run).isEmpty());
            assertThat(read.decisions(run)).extracting(StopDecision::getDecidedAtStep).containsExactly(10L);
        }
    }

    @Test
    void shouldKeepRewritingTheExampleEntriesInTheCacheHoweverManyCurvePointsAccumulate(StackEndpoints stack,
            @TempDir Path stateDir) throws Exception {
        // given a monitor with a 256 kB record cache that commits only every 60 s, and a run of 2,048
        // examples (22 kB of arrays) whose 3,000 steps of 64 losses each leave 3,000 curve points (over 256 kB)
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        String run = "it-cache-" + UUID.randomUUID();
        Topics topics = Topics.connect(connection);
        int examples = 2_048;
        int steps = 3_000;
        MonitorConfig config = config(connection, run, stateDir, Map.of(
                MonitorConfigKeys.COMMIT_INTERVAL_MS, "60000", "streams.statestore.cache.max.bytes", "262144"));
        Topics.ensureCreated(connection, config.topicPartitions());
        try (Admin admin = Admin.create(connection.adminProperties())) {
            // starting at the inputs' end: the other tests' runs on this broker would add their own writes and commits
            GroupProgress progress = new GroupProgress(admin, "monitor-" + run);
            progress.startAtEnd(Topics.MONITOR_INPUTS);
        }
        try (MonitorService monitor = MonitorService.start(config);
             EventProducer producer = new EventProducer(connection)) {
            assertThat(monitor.awaitRunning(Duration.ofSeconds(60))).isTrue();
            long t0 = System.currentTimeMillis();
            producer.send(topics.runs(), run, Events.started(run, examples), t0);
            producer.flush();
            Random random = new Random(5);
            for (int step = 1; step <= steps; step++) {
                int[] ids = random.ints(64, 0, examples).toArray();
                float[] losses = new float[64];
                Arrays.fill(losses, 1.5f); // nothing learned: no decision, no early commit
                producer.send(topics.exampleLosses(), run, Events.losses(run, step, ids, losses), t0 + step);
            }
            producer.flush();

            // when the monitor has applied every step, before its first commit
            await().atMost(Duration.ofSeconds(60)).until(() -> monitor.stepsObserved(run) == steps);

            // then the example entries, a snapshot rewritten every 4 epochs (8,192 losses), stayed in the cache: almost
            // nothing of them reached the changelog yet (a cache filled with curve points would send each snapshot, 0.5 MB)
            double sent = monitor.producedBytesByTopic().entrySet().stream()
                    .filter(e -> e.getKey().endsWith(TopologyNames.RUN_EXAMPLES_STORE + "-changelog"))
                    .mapToDouble(Map.Entry::getValue).sum();
            LOG.info("example entries sent to the changelog before the first commit: {} bytes", (long) sent);
            assertThat(sent).isLessThan(256 * 1024);
        }
    }

    /** Publishes a synthetic run the way the trainer does: start acknowledged first, stepped event time. */
    private record Trainer(EventProducer producer, Topics topics, long t0) {
        long at(long step) {
            return t0 + step;
        }

        void start(String run) {
            producer.send(topics.runs(), run, Events.started(run, EXAMPLES), t0);
            producer.flush();
        }

        /** Steps {@code from..to}: 10 more examples learned per step up to 98 of 100, checkpoints at 4 and 8. */
        void train(String run, int from, int to) {
            for (int step = from; step <= to; step++) {
                producer.send(topics.exampleLosses(), run, losses(run, step, Math.min(98, 10 * step)), at(step));
                if (step == 4 || step == 8) {
                    producer.send(topics.checkpoints(), run, Events.checkpoint(run, step), at(step));
                }
            }
            producer.flush();
        }
    }

    /** The stop decisions and dead letters of each run, collected from the output topics. */
    private static final class Outputs {
        private final Map<String, List<StopDecision>> decisions = new HashMap<>();
        private final Map<String, List<DeadLetter>> letters = new HashMap<>();
        private final Deserializer<StopDecision> decisionReader;
        private final Deserializer<DeadLetter> letterReader;

        Outputs(Topics topics) {
            this.decisionReader = topics.stopDecisions().valueSerde().deserializer();
            this.letterReader = topics.deadLetters().valueSerde().deserializer();
        }

        Outputs poll(KafkaConsumer<byte[], byte[]> consumer) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                String run = new String(r.key(), StandardCharsets.UTF_8);
                if (r.topic().equals(Topics.STOP_DECISIONS)) {
                    decisions.computeIfAbsent(run, k -> new ArrayList<>()).add(decisionReader.deserialize(r.topic(), r.value()));
                } else {
                    letters.computeIfAbsent(run, k -> new ArrayList<>()).add(letterReader.deserialize(r.topic(), r.value()));
                }
            }
            return this;
        }

        List<StopDecision> decisions(String run) {
            return decisions.getOrDefault(run, List.of());
        }

        List<DeadLetter> letters(String run) {
            return letters.getOrDefault(run, List.of());
        }
    }

    /** A monitor of the stack as application {@code monitor-<run>}, its state under {@code stateDir}, with {@code more} keys. */
    private static MonitorConfig config(KafkaConnection connection, String run, Path stateDir, Map<String, String> more) {
        Map<String, String> values = new HashMap<>(more);
        values.put(KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        values.put(KafkaConnection.REGISTRY_URL, connection.registryUrl());
        values.put(MonitorConfigKeys.APPLICATION_ID, "monitor-" + run);
        values.put(MonitorConfigKeys.STATE_DIR, stateDir.toString());
        return MonitorConfig.from(values);
    }

    /** A reader of the stop decisions and dead letters (see {@link #readerProperties}). */
    private static KafkaConsumer<byte[], byte[]> outputs(KafkaConnection connection, String run) {
        KafkaConsumer<byte[], byte[]> outputs = new KafkaConsumer<>(readerProperties(connection, run),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        outputs.subscribe(List.of(Topics.STOP_DECISIONS, Topics.DEAD_LETTERS));
        return outputs;
    }

    /** Polls until the reader has its partitions, so that nothing the monitor writes later is missed. */
    private static void awaitAssigned(KafkaConsumer<byte[], byte[]> outputs) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            outputs.poll(Duration.ofMillis(100));
            return !outputs.assignment().isEmpty();
        });
    }

    /** A read_committed reader that long-polls briefly, so that the latency it sees is the monitor's. */
    private static Properties readerProperties(KafkaConnection connection, String run) {
        Properties p = connection.consumerProperties("reader-" + run);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        return p;
    }

    private static ExampleLosses losses(String run, long step, int learned) {
        float[] losses = new float[EXAMPLES];
        for (int id = 0; id < EXAMPLES; id++) {
            losses[id] = id < learned ? 0.05f : 1f + id / 1000f;
        }
        return Events.losses(run, step, Events.range(0, EXAMPLES), losses);
    }
}
