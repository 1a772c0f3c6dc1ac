package io.upcycle.merger.service;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicReader;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input records this merger already dead-lettered, by origin (topic, partition, offset), read
 * from {@code upcycle.dead-letters} at start ({@link #read}) and kept up to date with every new dead
 * letter. The merger re-reads its inputs from the beginning on every start (to rebuild which plans
 * exist and which runs stopped), so without this an invalid plan would be dead-lettered again by
 * every restart; with it, each bad record is dead-lettered once.
 */
final class DeadLettered {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLettered.class);

    private record Origin(String topic, int partition, long offset) {
    }

    private final Set<Origin> origins = new HashSet<>();

    /** The dead letters of {@link MergerService#APPLICATION} on the topic up to its current end; undecodable ones are skipped. */
    static DeadLettered read(KafkaConnection connection, Topics topics, Duration timeout) {
        DeadLettered known = new DeadLettered();
        TopicReader.readToEnd(connection, topics.deadLetters(), timeout, record -> {
            DeadLetter letter = record.value();
            if (letter != null && MergerService.APPLICATION.equals(letter.getApplication())) {
                known.add(letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset());
            }
        }, e -> LOG.warn("undecodable dead letter at {}-{}@{} skipped: {}", e.topicPartition().topic(),
                e.topicPartition().partition(), e.offset(), e.getMessage()));
        LOG.info("{} records dead-lettered by earlier starts of the merger", known.origins.size());
        return known;
    }

    /** Records that the record at ({@code topic}, {@code partition}, {@code offset}) is dead-lettered; returns whether it is new. */
    boolean add(String topic, int partition, long offset) {
        return origins.add(new Origin(topic, partition, offset));
    }
}
