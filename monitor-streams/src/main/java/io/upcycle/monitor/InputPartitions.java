package io.upcycle.monitor;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Checks at start-up that the four input topics have the same number of partitions. Kafka
 * Streams does not check it for a hand-built topology, and with different counts a run's start,
 * losses, checkpoints and step metrics would land in different tasks: every loss would look like one of an
 * unknown run.
 */
final class InputPartitions {
    static final List<String> INPUTS = Topics.MONITOR_INPUTS;

    private InputPartitions() {
    }

    static void requireCoPartitioned(KafkaConnection connection) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(INPUTS).allTopicNames().get(60, TimeUnit.SECONDS);
            topics.forEach((name, description) -> counts.put(name, description.partitions().size()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the input topics on " + connection.bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the input topics", e);
        }
        requireEqual(counts);
    }

    static void requireEqual(Map<String, Integer> partitionsByTopic) {
        if (partitionsByTopic.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("the input topics must have the same number of partitions, so that one run's "
                    + "events meet in one task; they have " + partitionsByTopic);
        }
    }
}
