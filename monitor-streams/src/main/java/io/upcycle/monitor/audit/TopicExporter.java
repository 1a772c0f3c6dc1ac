package io.upcycle.monitor.audit;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.registry.RegistryException;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import io.upcycle.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code upcycle export}: copies the topics the monitor reads, and its recorded decisions, from their
 * start to their current end (read_committed) into a {@link LogFormat} file, with every writer schema
 * the values use, fetched by id from the registry. One partition at a time, streaming.
 */
public final class TopicExporter {
    /** The topics exported, in this order; a topic that does not exist is skipped. */
    public static final List<String> TOPICS =
            List.of(Topics.RUNS, Topics.STEP_METRICS, Topics.EXAMPLE_LOSSES, Topics.CHECKPOINTS, Topics.STOP_DECISIONS,
                    Topics.MERGE_PLANS, Topics.MERGE_RESULTS);

    private TopicExporter() {
    }

    /**
     * Exports to {@code file}; {@code runIds} (empty: all) keeps only records keyed by those runs.
     *
     * @return records written per topic
     */
    public static Map<String, Long> export(KafkaConnection connection, Path file, Set<String> runIds) throws IOException {
        SchemaRegistryClient registry = Topics.connect(connection).registry();
        Map<String, Long> written = new LinkedHashMap<>();
        try (LogWriter writer = new LogWriter(file);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                     connection.consumerProperties("upcycle-export-" + UUID.randomUUID()),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(30));
            for (String topic : TOPICS) {
                long before = writer.records();
                List<PartitionInfo> partitions = existing.getOrDefault(topic, List.of());
                for (PartitionInfo p : partitions.stream().sorted(Comparator.comparingInt(PartitionInfo::partition)).toList()) {
                    exportPartition(consumer, new TopicPartition(topic, p.partition()), writer, registry, runIds);
                }
                if (!partitions.isEmpty()) {
                    written.put(topic, writer.records() - before);
                }
            }
        }
        return written;
    }

    private static void exportPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, LogWriter writer,
                                        SchemaRegistryClient registry, Set<String> runIds) throws IOException {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        writer.section(partition.topic(), partition.partition());
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end || !wanted(r.key(), runIds)) {
                    continue;
                }
                writeSchema(r.value(), writer, registry, partition.topic());
                writer.record(new LoggedRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
            }
        }
    }

    private static boolean wanted(byte[] key, Set<String> runIds) {
        return runIds.isEmpty() || (key != null && runIds.contains(new String(key, StandardCharsets.UTF_8)));
    }

    private static void writeSchema(byte[] value, LogWriter writer, SchemaRegistryClient registry, String topic) throws IOException {
        if (value == null || value.length < WireFormat.HEADER_BYTES || value[0] != WireFormat.MAGIC) {
            return;
        }
        int id = WireFormat.schemaId(topic, value);
        if (writer.hasSchema(id)) {
            return;
        }
        try {
            writer.schema(id, registry.schemaById(id));
        } catch (RegistryException e) {
            if (e.status() != 404) {
                throw e;
            }
            writer.unknownSchema(id);
        }
    }
}
