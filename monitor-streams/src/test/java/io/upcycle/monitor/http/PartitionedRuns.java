package io.upcycle.monitor.http;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.utils.Utils;

/**
 * Input topics with (at least) two partitions on the shared test broker, run ids that Kafka's
 * default partitioner puts on a chosen partition, and synthetic runs published the way the
 * trainer does (a start, then one {@link ExampleLosses} a step).
 */
final class PartitionedRuns {
    private static final List<String> INPUTS = Topics.MONITOR_INPUTS;

    private PartitionedRuns() {
    }

    /**
     * Creates the topics with {@code partitions} partitions, or grows the inputs to that many when an
     * earlier test of this JVM created them with fewer (all four alike, so they stay co-partitioned).
     *
     * @return the partition count of the inputs now
     */
    static int ensureInputPartitions(KafkaConnection connection, int partitions) throws ExecutionException, InterruptedException {
        Topics.ensureCreated(connection, partitions);
        try (Admin admin = Admin.create(connection.adminProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(INPUTS).allTopicNames().get();
            int target = Math.max(partitions, topics.values().stream().mapToInt(d -> d.partitions().size()).max().orElse(0));
            Map<String, NewPartitions> grow = topics.values().stream().filter(d -> d.partitions().size() < target)
                    .collect(Collectors.toMap(TopicDescription::name, d -> NewPartitions.increaseTo(target)));
            if (!grow.isEmpty()) {
                admin.createPartitions(grow).all().get();
            }
            return target;
        }
    }

    /** The first id {@code prefix-i} whose record key the default partitioner puts on {@code partition} of {@code count}. */
    static String runOnPartition(String prefix, int partition, int count) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % count == partition) {
                return id;
            }
        }
    }

    /** Publishes {@code run}'s start and steps {@code 1..steps}, every example at loss 1 (nothing learned, no decision). */
    static void train(EventProducer producer, Topics topics, String run, int examples, int steps, long t0) {
        producer.send(topics.runs(), run, RunEvent.newBuilder().setEvent(SampleEvents.started(run, examples).build()).build(), t0);
        producer.flush();
        List<Integer> ids = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        for (int id = 0; id < examples; id++) {
            ids.add(id);
            losses.add(1f);
        }
        for (int step = 1; step <= steps; step++) {
            producer.send(topics.exampleLosses(), run, ExampleLosses.newBuilder().setRunId(run).setStep(step)
                    .setExampleIds(ids).setLosses(losses).build(), t0 + step);
        }
        producer.flush();
    }

}
