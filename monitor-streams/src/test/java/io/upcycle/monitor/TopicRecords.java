package io.upcycle.monitor;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Every committed value of a topic from its beginning (read_committed, no group), collected as a test reads on. */
final class TopicRecords<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions;
    private final List<V> values = new ArrayList<>();

    TopicRecords(KafkaConnection connection, Topic<String, V> topic) {
        Properties p = connection.consumerProperties("unused");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads up to the current end (the last stable offset: open transactions are not waited for); returns all so far. */
    List<V> readToEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(50))) {
                values.add(record.value());
            }
        }
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
