package io.upcycle.schemas;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the one record a producer acknowledged, by its partition and offset, with a plain
 * consumer: other tests may write to the same shared topics, so reading "the first record"
 * would not be enough.
 */
final class RecordReader {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private RecordReader() {
    }

    static <K, V> ConsumerRecord<K, V> readAt(KafkaConnection connection, RecordMetadata written,
                                              Deserializer<K> keys, Deserializer<V> values) {
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
                connection.consumerProperties("it-reader-" + UUID.randomUUID()), keys, values)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                    if (record.offset() == written.offset()) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + partition + " offset " + written.offset() + " within " + PATIENCE);
    }
}
