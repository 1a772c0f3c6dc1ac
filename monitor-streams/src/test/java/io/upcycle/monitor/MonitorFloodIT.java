package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.testing.FaultInjector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 10,000 bad records of ten kinds, interleaved with a clean run, on a real broker and registry:
 * every one is dead-lettered with its origin, the clean run is decided as a run without the flood,
 * and the monitor stays up. Prints the flood's throughput for the README.
 */
class MonitorFloodIT {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorFloodIT.class);
    private static final int PER_KIND = 1_000;
    private static final String VICTIM = "flood-victim";

    /** One kind of bad record: its name, and the record number {@code i} of that kind. */
    private record Kind(String name, IntFunction<Bad> record) {
    }

    private record Bad(String topic, byte[] key, byte[] value) {
    }

    @Test
    void shouldDeadLetterTenThousandBadRecordsOfEveryKindWithTheirOriginAndDecideTheCleanRunAsWithoutThem(
            @TempDir Path stateDir) throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             LiveMonitor live = new LiveMonitor(stack.endpoints(), stateDir, "monitor-flood")) {
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics topics = Topics.connect(connection);
            // given a control run decided without a flood, and a victim run started and at step 1000
            live.train("control", 40);
            StopDecision control = awaitDecision(connection, topics, "control");
            long hourAgo = System.currentTimeMillis() - 3_600_000L;
            try (EventProducer producer = new EventProducer(connection)) {
                producer.send(topics.runs(), VICTIM, Events.started(VICTIM, LiveMonitor.EXAMPLES), hourAgo);
                for (int step = 1; step <= 1000; step++) {
                    producer.send(topics.exampleLosses(), VICTIM, Events.losses(VICTIM, step, new int[] {step % 100},
                            new float[] {1f}), hourAgo + step);
                }
                producer.flush();
                List<Kind> kinds = kinds(topics);

                // when 10,000 bad records, 1,000 of each kind in turn, go out while the clean run trains
                long start = System.nanoTime();
                for (int i = 0; i < PER_KIND; i++) {
                    for (Kind kind : kinds) {
                        Bad bad = kind.record().apply(i);
                        producer.sendRaw(bad.topic(), bad.key(), bad.value(), hourAgo + 10_000L + i);
                    }
                    if (i == PER_KIND / 2) {
                        live.train("clean", 40);
                    }
                }
                producer.flush();

                // then every bad record is in the dead-letter topic, each with its own origin
                List<DeadLetter> letters = new ArrayList<>();
                try (TopicTail<DeadLetter> tail = new TopicTail<>(connection, topics.deadLetters())) {
                    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                            .until(() -> tail.values().size() >= kinds.size() * PER_KIND);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    // and no more arrive: nothing is dead-lettered twice
                    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                            .until(() -> tail.values().size() == kinds.size() * PER_KIND);
                    letters.addAll(tail.values());
                    LOG.info("flood: {} bad records dead-lettered in {} s ({} records/s), the clean run interleaved",
                            letters.size(), String.format(Locale.ROOT, "%.1f", seconds),
                            String.format(Locale.ROOT, "%.0f", letters.size() / seconds));
                }
                assertThat(letters).hasSize(kinds.size() * PER_KIND);
                Set<String> origins = new HashSet<>();
                letters.forEach(l -> origins.add(l.getSourceTopic() + "/" + l.getSourcePartition() + "@" + l.getSourceOffset()));
                assertThat(origins).hasSize(letters.size());
                assertThat(letters).allSatisfy(l -> {
                    assertThat(l.getApplication()).isEqualTo("monitor-flood");
                    assertThat(l.getSourceOffset()).isNotNegative();
                    assertThat(l.getValue()).isNotNull();
                });
                // and the clean run is decided as the control was, the victim untouched, the monitor up
                StopDecision clean = awaitDecision(connection, topics, "clean");
                assertThat(clean.getDecidedAtStep()).isEqualTo(control.getDecidedAtStep());
                assertThat(clean.getCheckpointStep()).isEqualTo(control.getCheckpointStep());
                assertThat(clean.getReason()).isEqualTo(control.getReason().replace("control", "clean"));
                assertThat(clean.getSignals()).isEqualTo(control.getSignals());
                assertThat(clean.getMissingSteps()).isZero();
                assertThat(live.monitor.runState(VICTIM)).get().satisfies(s -> {
                    assertThat(s.step()).isEqualTo(1000);
                    assertThat(s.incomplete()).isFalse();
                });
                assertThat(live.monitor.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static StopDecision awaitDecision(KafkaConnection connection, Topics topics, String runId) {
        try (TopicTail<StopDecision> decisions = new TopicTail<>(connection, topics.stopDecisions(), runId)) {
            await().atMost(Duration.ofMinutes(3)).until(() -> !decisions.values().isEmpty());
            return decisions.values().get(0);
        }
    }

    /** The ten kinds; typed ones are encoded with the registry's real ids. */
    private static List<Kind> kinds(Topics topics) {
        Random random = new Random(42);
        String losses = Topics.EXAMPLE_LOSSES;
        byte[] victim = VICTIM.getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Kind("garbage bytes", i -> {
                    byte[] value = new byte[1 + random.nextInt(200)];
                    random.nextBytes(value);
                    return new Bad(losses, victim, value);
                }),
                new Kind("unknown schema id", i -> new Bad(losses, victim,
                        ByteBuffer.allocate(9).put((byte) 0).putInt(900_000 + i).putInt(i).array())),
                new Kind("a valid id of another schema", i -> new Bad(losses, victim,
                        encode(topics, Topics.RUNS, Events.started(VICTIM, 5)))),
                new Kind("NaN loss", i -> new Bad(losses, victim,
                        lossesOf(topics, 2000, new int[] {1, 2}, new float[] {0.5f, Float.NaN}))),
                new Kind("negative loss", i -> new Bad(losses, victim,
                        lossesOf(topics, 2000, new int[] {1, 2}, new float[] {-0.5f, 1f}))),
                new Kind("arrays of different lengths", i -> new Bad(losses, victim,
                        lossesOf(topics, 2000, new int[] {1, 2, 3}, new float[] {0.5f, 1f}))),
                new Kind("arrays beyond the run's examples", i -> new Bad(losses, victim,
                        lossesOf(topics, 2000, Events.range(0, LiveMonitor.EXAMPLES + 1), new float[LiveMonitor.EXAMPLES + 1]))),
                new Kind("step regression", i -> new Bad(losses, victim,
                        lossesOf(topics, 1 + i % 1000, new int[] {1}, new float[] {0.5f}))),
                new Kind("unknown run", i -> {
                    String run = "never-started-" + i;
                    return new Bad(losses, run.getBytes(StandardCharsets.UTF_8), encode(topics, losses,
                            Events.losses(run, 1, new int[] {0}, new float[] {0.5f})));
                }),
                new Kind("oversized key", i -> new Bad(losses, ("k" + i + "-").repeat(100).getBytes(StandardCharsets.UTF_8),
                        lossesOf(topics, 2000, new int[] {1}, new float[] {0.5f}))));
    }

    private static byte[] lossesOf(Topics topics, long step, int[] ids, float[] losses) {
        ExampleLosses e = Events.losses(VICTIM, step, ids, losses);
        return encode(topics, Topics.EXAMPLE_LOSSES, e);
    }

    @SuppressWarnings("unchecked")
    private static byte[] encode(Topics topics, String topic, Object value) {
        return switch (topic) {
            case Topics.RUNS -> topics.runs().valueSerde().serializer().serialize(topic, (io.upcycle.schemas.avro.RunEvent) value);
            case Topics.EXAMPLE_LOSSES -> topics.exampleLosses().valueSerde().serializer().serialize(topic, (ExampleLosses) value);
            default -> throw new IllegalArgumentException(topic);
        };
    }
}
