package io.upcycle.cli.report;

import io.upcycle.monitor.audit.AuditLogException;
import io.upcycle.monitor.audit.LogIndex;
import io.upcycle.monitor.audit.LogReader;
import io.upcycle.monitor.audit.LoggedRecord;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import io.upcycle.monitor.tracking.SignalSettings;
import io.upcycle.monitor.tracking.SignalTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The decoded events of a study, as a log file holds them: runs, step metrics, checkpoints, stop
 * decisions and merge results, each list in file order (partition by partition, offset order).
 * Per-example losses are most of the file: only those of the observe run of the lowest seed per mode
 * and task are read, replayed through the monitor's own signal code ({@link SignalTrace}) into
 * {@code traces} (run id, then signal name, then step), so the report can plot the signals over the
 * whole run, not only the window a decision carries.
 * Records that cannot be decoded (dead-lettered on the live topics too) are listed in {@code undecodable}.
 */
public record StudyEvents(List<RunStarted> started, List<RunEnded> ended, List<StepMetrics> steps,
                          List<CheckpointSaved> checkpoints, List<StopDecision> decisions, List<MergeCompleted> merges,
                          List<String> undecodable, Map<String, Map<String, NavigableMap<Long, Double>>> traces) {

    /** Empty lists to fill, e.g. in tests. */
    public static StudyEvents empty() {
        return new StudyEvents(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
    }

    /**
     * Reads {@code file} (a {@code LogFormat} file from {@code upcycle export}): checks it whole with
     * {@link LogReader#scan}, then decodes the sections it needs with the writer schemas the file holds,
     * exactly as the audit's replay does.
     *
     * @throws AuditLogException when the file is missing, damaged or truncated (the message says where)
     */
    public static StudyEvents read(Path file) {
        LogIndex index = LogReader.scan(file);
        Topics topics = Topics.connect(new InMemorySchemaRegistryClient(index.schemas()));
        StudyEvents events = empty();
        decode(file, index, topics.runs(), events, run -> {
            if (run.getEvent() instanceof RunStarted s) {
                events.started().add(s);
            } else if (run.getEvent() instanceof RunEnded e) {
                events.ended().add(e);
            }
        });
        decode(file, index, topics.stepMetrics(), events, events.steps()::add);
        decode(file, index, topics.checkpoints(), events, events.checkpoints()::add);
        decode(file, index, topics.stopDecisions(), events, events.decisions()::add);
        decode(file, index, topics.mergeResults(), events, events.merges()::add);
        Map<String, SignalTrace> traces = new LinkedHashMap<>();
        traced(events.started()).forEach(r -> traces.put(r.getRunId(), new SignalTrace(r, SignalSettings.DEFAULTS)));
        if (!traces.isEmpty()) {
            decode(file, index, topics.exampleLosses(), events, losses -> {
                SignalTrace trace = traces.get(losses.getRunId());
                if (trace != null) {
                    trace.apply(losses);
                }
            });
        }
        traces.forEach((run, trace) -> events.traces().put(run, trace.series()));
        return events;
    }

    /** The observe run of the lowest seed for each mode and task: the one whose signals the report plots. */
    static List<RunStarted> traced(List<RunStarted> started) {
        Map<String, RunStarted> first = new TreeMap<>();
        for (RunStarted r : started) {
            Map<String, String> labels = r.getHyperParameters();
            if (!labels.getOrDefault(StudyTags.PASS, StudyTags.OBSERVE).equals(StudyTags.OBSERVE)) {
                continue;
            }
            String key = labels.getOrDefault(StudyTags.MODE, r.getMode().name()) + "/" + r.getTask();
            RunStarted known = first.get(key);
            if (known == null || StudyTags.longOf(labels, StudyTags.SEED, r.getSeed())
                    < StudyTags.longOf(known.getHyperParameters(), StudyTags.SEED, known.getSeed())) {
                first.put(key, r);
            }
        }
        return List.copyOf(first.values());
    }

    private static <V> void decode(Path file, LogIndex index, Topic<String, V> topic, StudyEvents events, Consumer<V> sink) {
        for (LogIndex.Section section : index.sectionsOf(topic.name())) {
            try (LogReader reader = LogReader.open(file, section)) {
                for (LoggedRecord r = reader.next(); r != null; r = reader.next()) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        sink.accept(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } catch (SerializationException e) {
                        // the live services dead-lettered it too; the report names it and goes on
                        events.undecodable().add(r.describe() + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
