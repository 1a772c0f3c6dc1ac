package io.upcycle.trainer.checkpoint;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a run's {@link RunHistory} from the topics, up to their ends at the time of reading. The
 * lifecycle topic is read whole; the per-step topics only from the run's first event time on
 * ({@code offsetsForTimes}), and only records keyed by the run id are decoded.
 */
public final class RunHistoryReader implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final String runId;

    public RunHistoryReader(KafkaConnection connection, Topics topics, String runId) {
        Properties properties = connection.consumerProperties("upcycle-history-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.runId = runId;
    }

    /** The history of the run: {@link RunHistory#none()} when the log never saw it start. */
    public RunHistory read() {
        long[] start = {-1};
        EndReason[] end = {null};
        scan(topics.runs(), -1, record -> {
            if (record.value().getEvent() instanceof RunStarted started) {
                if (start[0] < 0 && started.getResumedFromStep() == null) {
                    start[0] = record.timestamp();
                }
                end[0] = null;
            } else if (record.value().getEvent() instanceof RunEnded ended) {
                end[0] = ended.getReason();
            }
        });
        if (start[0] < 0) {
            return RunHistory.none();
        }
        long[] lastFullPass = {0};
        BitSet metricsSteps = new BitSet();
        BitSet lossesSteps = new BitSet();
        Map<Long, Float> rates = new HashMap<>();
        Map<Long, Float> losses = new HashMap<>();
        Map<Long, String> checkpoints = new HashMap<>();
        scan(topics.stepMetrics(), start[0], record -> {
            StepMetrics m = record.value();
            metricsSteps.set(Math.toIntExact(m.getStep()));
            rates.put(m.getStep(), m.getLearningRate());
            losses.put(m.getStep(), m.getTrainLoss());
        });
        scan(topics.exampleLosses(), start[0], record -> {
            ExampleLosses e = record.value();
            if (e.getFullPass()) {
                lastFullPass[0] = Math.max(lastFullPass[0], e.getStep());
            } else {
                lossesSteps.set(Math.toIntExact(e.getStep()));
            }
        });
        scan(topics.checkpoints(), start[0], record -> {
            CheckpointSaved c = record.value();
            checkpoints.put(c.getStep(), c.getSha256());
        });
        return new RunHistory(true, start[0], end[0], unbrokenThrough(metricsSteps), unbrokenThrough(lossesSteps),
                lastFullPass[0], checkpoints, rates, losses);
    }

    /**
     * The last step before the first one missing (steps count from 1): a topic with a gap (events lost
     * in an outage) counts as holding the run only up to the gap, so a resume publishes what is missing.
     */
    static long unbrokenThrough(BitSet steps) {
        return steps.nextClearBit(1) - 1L;
    }

    /** Hands every record of the run on {@code topic} (from {@code fromTimestamp}; -1: the beginning) to {@code sink}. */
    private <V> void scan(Topic<String, V> topic, long fromTimestamp, Consumer<ConsumerRecord<String, V>> sink) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        Map<TopicPartition, Long> starts = new HashMap<>();
        if (fromTimestamp < 0) {
            starts.putAll(consumer.beginningOffsets(partitions, TIMEOUT));
        } else {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, fromTimestamp));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
            partitions.forEach(p -> starts.put(p, found.get(p) == null ? ends.get(p) : found.get(p).offset()));
        }
        partitions.forEach(p -> consumer.seek(p, starts.get(p)));
        var deserializer = topic.valueSerde().deserializer();
        while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
                if (runId.equals(raw.key()) && raw.offset() < ends.get(new TopicPartition(raw.topic(), raw.partition()))) {
                    V value = deserializer.deserialize(raw.topic(), raw.value());
                    sink.accept(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                            raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), raw.key(), value,
                            raw.headers(), raw.leaderEpoch()));
                }
            }
        }
        consumer.unsubscribe();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
