package io.upcycle.trainer;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads one topic from the beginning, keeping the records of one key, for integration tests. */
final class TopicReader<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final String key;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    TopicReader(KafkaConnection connection, Topic<String, V> topic, String key) {
        Properties properties = connection.consumerProperties("it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.key = key;
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once more and returns every record of the key seen so far. */
    List<ConsumerRecord<String, V>> poll() {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
            if (key.equals(record.key())) {
                records.add(record);
            }
        }
        return List.copyOf(records);
    }

    /** The values seen so far. */
    List<V> values() {
        return poll().stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
