package io.upcycle.cli.study;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic from its start to its current end (read_committed), keeping the values of wanted keys. */
public final class TopicLog {
    private TopicLog() {
    }

    /** The values keyed by one of {@code keys}, in log order per partition. */
    public static <V> List<V> read(KafkaConnection connection, Topic<String, V> topic, Collection<String> keys) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                connection.consumerProperties("upcycle-topic-log-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            var partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keys.contains(record.key())) {
                        values.add(record.value());
                    }
                }
            }
        }
        return values;
    }

    /** The first stop decision of each of {@code runIds} that has one. */
    public static Map<String, StopDecision> decisions(KafkaConnection connection, Collection<String> runIds) {
        Map<String, StopDecision> first = new LinkedHashMap<>();
        read(connection, Topics.connect(connection).stopDecisions(), runIds).forEach(d -> first.putIfAbsent(d.getRunId(), d));
        return first;
    }

    /** Every checkpoint of each of {@code runIds}, by step. */
    public static Map<String, TreeMap<Long, CheckpointSaved>> checkpoints(KafkaConnection connection, Collection<String> runIds) {
        Map<String, TreeMap<Long, CheckpointSaved>> byRun = new LinkedHashMap<>();
        read(connection, Topics.connect(connection).checkpoints(), runIds)
                .forEach(c -> byRun.computeIfAbsent(c.getRunId(), r -> new TreeMap<>()).put(c.getStep(), c));
        return byRun;
    }
}
