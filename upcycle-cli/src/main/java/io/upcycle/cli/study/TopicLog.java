package io.upcycle.cli;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads the stop-decision topic from its start to its end: the first decision of each wanted run. */
final class DecisionLog {
    private DecisionLog() {
    }

    static Map<String, StopDecision> read(KafkaConnection connection, Collection<String> runIds) {
        Topic<String, StopDecision> topic = Topics.connect(connection).stopDecisions();
        Map<String, StopDecision> decisions = new LinkedHashMap<>();
        try (KafkaConsumer<String, StopDecision> consumer = new KafkaConsumer<>(
                connection.consumerProperties("upcycle-decision-log-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            var partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, StopDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    if (runIds.contains(record.key())) {
                        decisions.putIfAbsent(record.key(), record.value());
                    }
                }
            }
        }
        return decisions;
    }
}
