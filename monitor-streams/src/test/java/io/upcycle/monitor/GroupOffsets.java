package io.upcycle.monitor;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Whether a monitor's group has committed everything now on the monitor's input topics (admin API). */
final class GroupOffsets implements AutoCloseable {
    private static final List<String> INPUTS = Topics.MONITOR_INPUTS;

    private final Admin admin;
    private final String group;

    GroupOffsets(KafkaConnection connection, String group) {
        this.admin = Admin.create(connection.adminProperties());
        this.group = group;
    }

    boolean caughtUp() throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(INPUTS).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
        Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
    }

    @Override
    public void close() {
        admin.close();
    }
}
