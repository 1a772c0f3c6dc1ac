package io.upcycle.monitor;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer group (the monitor's application id) stands on its input topics, through the
 * admin API: the monitor has committed its processing of everything up to an offset once its
 * group's committed offset reaches it (under exactly-once, together with its outputs and state).
 */
public final class GroupProgress {
    private static final Duration POLL = Duration.ofMillis(5);

    private final Admin admin;
    private final String group;

    public GroupProgress(Admin admin, String group) {
        this.admin = admin;
        this.group = group;
    }

    /** The log end offset of every partition of {@code topics}. */
    public Map<TopicPartition, Long> ends(Collection<String> topics) throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Commits {@code offsets} for the group, which must have no members: it will start from there. */
    public void startAt(Map<TopicPartition, Long> offsets) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((p, o) -> commit.put(p, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(group, commit).all().get();
    }

    /** Has the group, which must have no members, start at the current end of {@code topics}: nothing sent before counts. */
    public void startAtEnd(Collection<String> topics) throws ExecutionException, InterruptedException {
        startAt(ends(topics));
    }

    /** Blocks until the group's committed offsets reach {@code targets}; returns {@link System#nanoTime()} then. */
    public long awaitCommitted(Map<TopicPartition, Long> targets, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(targets.keySet())))
                    .partitionsToOffsetAndMetadata(group).get();
            long now = System.nanoTime();
            boolean done = targets.entrySet().stream().allMatch(t -> t.getValue() == 0
                    || (committed.get(t.getKey()) != null && committed.get(t.getKey()).offset() >= t.getValue()));
            if (done) {
                return now;
            }
            if (now > deadline) {
                throw new TimeoutException("group " + group + " committed " + committed + ", waiting for " + targets);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
