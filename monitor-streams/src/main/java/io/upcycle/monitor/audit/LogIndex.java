package io.upcycle.monitor.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * What a full, checked pass over a log file found: the writer schemas by registry id, the ids the
 * registry did not know at export time (records using them were undecodable on the live topics
 * too), and the sections, one per topic partition, with where their records start.
 */
public record LogIndex(Map<Integer, Schema> schemas, Set<Integer> unknownSchemaIds, List<Section> sections, long records) {
    /** The records of one topic partition: they start at byte {@code position} of the file. */
    public record Section(String topic, int partition, long position, long records) {
    }

    /** Sections of {@code topic}. */
    public List<Section> sectionsOf(String topic) {
        return sections.stream().filter(s -> s.topic().equals(topic)).toList();
    }
}
