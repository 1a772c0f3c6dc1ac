package io.upcycle.merger;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code upcycle.merge-results} from the beginning to its current end (read_committed, no
 * consumer group, no commits) into a {@link MergeHistory}, so that a restarted merger knows what
 * it already published.
 */
final class MergeHistoryReader {
    private static final Logger LOG = LoggerFactory.getLogger(MergeHistoryReader.class);

    private MergeHistoryReader() {
    }

    /** Adds every result on the topic to {@code history}; undecodable records are logged and skipped. */
    static void read(KafkaConnection connection, Topics topics, Duration timeout, MergeHistory history) {
        Properties properties = connection.consumerProperties("unused");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var topic = topics.mergeResults();
        try (KafkaConsumer<String, MergeCompleted> consumer = new KafkaConsumer<>(properties,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end " + end + " within " + timeout);
                }
                try {
                    for (ConsumerRecord<String, MergeCompleted> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.value() != null && !history.record(record.value())) {
                            LOG.info("merge {} of plan {} ({}) at {}-{}@{} repeats an earlier result of that plan and method",
                                    record.key(), record.value().getPlanId(), record.value().getMethod(), record.topic(),
                                    record.partition(), record.offset());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // not ours to dead-letter: the merge results are written by mergers, and a bad one merges nothing
                    LOG.warn("undecodable merge result at {}-{}@{} skipped: {}", e.topicPartition().topic(),
                            e.topicPartition().partition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        LOG.info("{} earlier merge results known after reading {}", history.size(), topic.name());
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
