package io.upcycle.monitor.audit;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What a replay's topology produced: the stop decisions per run and the dead letters per run.
 * Everything else the driver captured (state changelogs, commands) is drained and dropped, so a
 * long replay does not pile records up in memory.
 */
final class ReplayOutputs {
    private final Topics topics;
    final Map<String, List<StopDecision>> decisions = new LinkedHashMap<>();
    private long deadLetters;
    private final Map<String, Long> countsByRun = new TreeMap<>();
    private final Map<String, List<String>> reasonsByRun = new TreeMap<>();

    ReplayOutputs(Topics topics) {
        this.topics = topics;
    }

    long deadLetters() {
        return deadLetters;
    }

    Map<String, ReplayResult.DeadLetters> byRun() {
        Map<String, ReplayResult.DeadLetters> out = new TreeMap<>();
        countsByRun.forEach((run, count) -> out.put(run, new ReplayResult.DeadLetters(count, List.copyOf(reasonsByRun.get(run)))));
        return out;
    }

    void drain(TopologyTestDriver driver) {
        for (String topic : driver.producedTopicNames()) {
            var records = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
            if (topic.equals(Topics.STOP_DECISIONS)) {
                for (var r : records) {
                    StopDecision d = topics.stopDecisions().valueSerde().deserializer().deserialize(topic, r.value());
                    decisions.computeIfAbsent(d.getRunId(), k -> new ArrayList<>()).add(d);
                }
            } else if (topic.equals(Topics.DEAD_LETTERS)) {
                for (var r : records) {
                    DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize(topic, r.value());
                    String run = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    countsByRun.merge(run, 1L, Long::sum);
                    List<String> reasons = reasonsByRun.computeIfAbsent(run, k -> new ArrayList<>());
                    if (reasons.size() < ReplayResult.REASONS_KEPT) {
                        reasons.add(letter.getSourceTopic() + " at " + letter.getSourceTimestamp() + ", " + letter.getStage()
                                + ": " + letter.getErrorMessage());
                    }
                }
                deadLetters += records.size();
            }
        }
    }
}
