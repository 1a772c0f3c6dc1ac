package io.upcycle.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows a topic from its beginning as a test goes on: committed records only, no consumer group,
 * no commits; all keys, or one key's records. The one topic follower of every module's integration
 * tests (this module's test-jar); {@link TopicReader} reads a topic to its end once.
 */
public final class TopicTail<V> implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final String key;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    /** Every record of {@code topic}. */
    public TopicTail(KafkaConnection connection, Topic<String, V> topic) {
        this(connection, topic, null);
    }

    /** The records of {@code topic} whose key is {@code key} (null: every record). */
    public TopicTail(KafkaConnection connection, Topic<String, V> topic, String key) {
        Properties properties = connection.consumerProperties("unused");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.key = key;
        this.partitions = consumer.partitionsFor(topic.name(), PATIENCE).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once more; returns every record read so far. */
    public List<ConsumerRecord<String, V>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(this::keep);
        return List.copyOf(records);
    }

    /** Polls once more; returns every value read so far. */
    public List<V> values() {
        return poll().stream().map(ConsumerRecord::value).toList();
    }

    /** Reads up to the current end (the last stable offset: open transactions are not waited for); returns every value so far. */
    public List<V> readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            consumer.poll(Duration.ofMillis(50)).forEach(this::keep);
        }
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private void keep(ConsumerRecord<String, V> record) {
        if (key == null || key.equals(record.key())) {
            records.add(record);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /**
     * The one record a producer acknowledged, by its partition and offset: other tests may write to
     * the same shared topics, so "the first record" would not be enough.
     */
    public static <K, T> ConsumerRecord<K, T> readAt(KafkaConnection connection, RecordMetadata written, Deserializer<K> keys,
                                                     Deserializer<T> values) {
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        try (KafkaConsumer<K, T> consumer = new KafkaConsumer<>(
                connection.consumerProperties("it-reader-" + UUID.randomUUID()), keys, values)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<K, T> record : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                    if (record.offset() == written.offset()) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + partition + " offset " + written.offset() + " within " + PATIENCE);
    }
}
