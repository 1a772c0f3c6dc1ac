package io.upcycle.schemas;

import io.upcycle.schemas.registry.RegistryOutage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic from its beginning to its end as of the call (read_committed, no consumer group, no
 * commits): what a service needs to learn what the log already holds, e.g. a restarted merger its
 * earlier results, or a study its decisions and checkpoints. A record that cannot be decoded is
 * handed to {@code undecodable} and skipped; one that cannot be decoded because the schema registry
 * is down is decoded again once it answers (waiting up to the connection's {@code outage.wait.ms},
 * with a log line saying so), never skipped: a merger that skipped its own earlier result would merge twice.
 */
public final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

    private TopicReader() {
    }

    /**
     * Hands every record of {@code topic} up to its current end to {@code sink}, in offset order per partition.
     *
     * @throws IllegalStateException when the end is not reached within {@code timeout}
     */
    public static <V> void readToEnd(KafkaConnection connection, Topic<String, V> topic, Duration timeout,
                                     Consumer<ConsumerRecord<String, V>> sink,
                                     Consumer<RecordDeserializationException> undecodable) {
        Properties properties = connection.consumerProperties("unused");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Backoff registryWait = new Backoff("the schema registry at " + connection.registryUrl() + " to read " + topic.name(),
                    Duration.ofMillis(250), Duration.ofSeconds(5), connection.outageWait(), LOG);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline && !registryWait.waiting()) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end " + end + " within " + timeout);
                }
                try {
                    consumer.poll(POLL).forEach(sink);
                    registryWait.recovered();
                } catch (RecordDeserializationException e) {
                    if (RegistryOutage.isOutage(e)) {
                        consumer.seek(e.topicPartition(), e.offset());
                        if (!registryWait.sleepAfter(new IllegalStateException(RegistryOutage.describe(e)))) {
                            throw new IllegalStateException("interrupted while waiting for the schema registry to read " + topic.name());
                        }
                        continue;
                    }
                    undecodable.accept(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
    }
}
