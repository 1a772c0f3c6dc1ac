package io.upcycle.monitor.audit;

import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;

/** The stop decisions a log file recorded, per run, in the order they were written to their partition. */
final class RecordedDecisions {
    private RecordedDecisions() {
    }

    static Map<String, List<StopDecision>> read(Path file, LogIndex index, Set<String> runIds) {
        Topic<String, StopDecision> topic = Topics.connect(new InMemorySchemaRegistryClient(index.schemas())).stopDecisions();
        Map<String, List<StopDecision>> decisions = new LinkedHashMap<>();
        for (LogIndex.Section section : index.sectionsOf(Topics.STOP_DECISIONS)) {
            try (LogReader reader = LogReader.open(file, section)) {
                for (LoggedRecord r = reader.next(); r != null; r = reader.next()) {
                    if (!runIds.isEmpty() && !runIds.contains(r.keyText())) {
                        continue;
                    }
                    StopDecision d;
                    try {
                        d = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    } catch (SerializationException e) {
                        throw new AuditLogException("recorded decision " + r.describe() + " cannot be decoded: " + e.getMessage(), e);
                    }
                    decisions.computeIfAbsent(d.getRunId(), k -> new ArrayList<>()).add(d);
                }
            }
        }
        return decisions;
    }
}
