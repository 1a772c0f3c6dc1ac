package io.upcycle.cli.study;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.TopicReader;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The study's reads of a topic from its start to its current end ({@link TopicReader}), keeping the values of wanted keys. */
public final class TopicLog {
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private TopicLog() {
    }

    /** The values keyed by one of {@code keys}, in log order per partition. */
    public static <V> List<V> read(KafkaConnection connection, Topic<String, V> topic, Collection<String> keys) {
        List<V> values = new ArrayList<>();
        TopicReader.readToEnd(connection, topic, READ_TIMEOUT, record -> {
            if (keys.contains(record.key())) {
                values.add(record.value());
            }
        }, e -> {
            throw new IllegalStateException("undecodable record on " + topic.name() + " at offset " + e.offset(), e);
        });
        return values;
    }

    /** The first stop decision of each of {@code runIds} that has one. */
    public static Map<String, StopDecision> decisions(KafkaConnection connection, Collection<String> runIds) {
        Map<String, StopDecision> first = new LinkedHashMap<>();
        read(connection, Topics.connect(connection).stopDecisions(), runIds).forEach(d -> first.putIfAbsent(d.getRunId(), d));
        return first;
    }

    /** Every checkpoint of each of {@code runIds}, by step. */
    public static Map<String, NavigableMap<Long, CheckpointSaved>> checkpoints(KafkaConnection connection, Collection<String> runIds) {
        Map<String, NavigableMap<Long, CheckpointSaved>> byRun = new LinkedHashMap<>();
        read(connection, Topics.connect(connection).checkpoints(), runIds)
                .forEach(c -> byRun.computeIfAbsent(c.getRunId(), r -> new TreeMap<>()).put(c.getStep(), c));
        return byRun;
    }
}
