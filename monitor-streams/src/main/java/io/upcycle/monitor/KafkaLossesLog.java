package io.upcycle.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * A partition of the losses topic read back from the broker with a consumer of its own (assigned,
 * no group), configured as Kafka Streams configures its restore consumers: the same cluster,
 * security settings and isolation level as the monitor's. Opened on the first read, closed with
 * the task.
 */
final class KafkaLossesLog implements LossesLog {
    /** How long a read may go without reaching the offsets it needs before it gives up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    /** The run id whose partition this log reads, when the partition is not given. */
    private final String key;
    private TopicPartition partition;
    private KafkaConsumer<byte[], byte[]> consumer;

    private KafkaLossesLog(Map<String, Object> consumerConfig, String topic, int partition, String key) {
        this.consumerConfig = consumerConfig;
        this.topic = topic;
        this.key = key;
        this.partition = key == null ? new TopicPartition(topic, partition) : null;
    }

    /** Logs of {@code topic}'s partitions, read with consumers configured by {@code consumerConfig}. */
    static Factory factory(Map<String, Object> consumerConfig, String topic) {
        return p -> new KafkaLossesLog(consumerConfig, topic, p, null);
    }

    /**
     * The log of the partition of {@code topic} that records keyed {@code runId} go to, as the trainers'
     * producers partition them (murmur2 of the key, the producer's default): for a read outside a task.
     */
    static KafkaLossesLog ofRun(Map<String, Object> consumerConfig, String topic, String runId) {
        return new KafkaLossesLog(consumerConfig, topic, -1, runId);
    }

    @Override
    public void processed(long offset, byte[] key, byte[] value) {
        // the broker has it
    }

    @Override
    public void read(long from, long to, Visitor visitor) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        long start = c.beginningOffsets(List.of(partition)).get(partition);
        if (start > from) {
            throw new IllegalStateException(partition + ": the records at offsets " + from + ".." + Math.min(to, start - 1)
                    + " are gone (the log now starts at " + start + "), the topic's retention deleted them before the"
                    + " monitor snapshotted the runs they belong to");
        }
        c.seek(partition, from);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (c.position(partition) <= to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(partition + ": could not read offsets " + from + ".." + to + " within "
                        + READ_TIMEOUT.toSeconds() + " s (at offset " + c.position(partition) + ")");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200)).records(partition)) {
                if (r.offset() > to) {
                    return;
                }
                visitor.accept(r.offset(), r.key(), r.value());
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(consumerConfig);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            if (partition == null) {
                int partitions = consumer.partitionsFor(topic).size();
                byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                partition = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(keyBytes)) % partitions);
            }
            consumer.assign(List.of(partition));
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
