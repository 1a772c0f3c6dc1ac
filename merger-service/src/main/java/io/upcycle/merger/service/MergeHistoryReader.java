package io.upcycle.merger.service;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicReader;
import io.upcycle.schemas.Topics;
import java.time.Duration;
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
        var topic = topics.mergeResults();
        TopicReader.readToEnd(connection, topic, timeout, record -> {
            if (record.value() != null && !history.record(record.value())) {
                LOG.info("merge {} of plan {} ({}) at {}-{}@{} repeats an earlier result of that plan and method",
                        record.key(), record.value().getPlanId(), record.value().getMethod(), record.topic(),
                        record.partition(), record.offset());
            }
        }, e -> LOG.warn("undecodable merge result at {}-{}@{} skipped: {}", e.topicPartition().topic(),
                // not ours to dead-letter: the merge results are written by mergers, and a bad one merges nothing
                e.topicPartition().partition(), e.offset(), e.getMessage()));
        LOG.info("{} earlier merge results known after reading {}", history.size(), topic.name());
    }
}
