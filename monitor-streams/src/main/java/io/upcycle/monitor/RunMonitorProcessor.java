package io.upcycle.monitor;

import io.upcycle.monitor.curve.CurveRecorder;
import io.upcycle.monitor.state.ExampleStore;
import io.upcycle.monitor.state.LossesReplay;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.tracking.InvalidEventException;
import io.upcycle.monitor.tracking.Outcome;
import io.upcycle.monitor.tracking.RunTracker;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each decoded event to its run's state in the {@code run-state} store through the
 * {@link RunTracker}, and forwards the stop decisions it yields, stamped with the event time of
 * the record that triggered them, and the training commands (learning-rate changes) it yields.
 * Under exactly-once a trainer reads them only once their transaction commits, so a record that
 * yields one asks for a commit at once ({@link ProcessorContext#commit()}: Kafka Streams commits
 * after the records it is processing in this loop) instead of waiting for the commit interval;
 * decisions and commands are rare (a few per run), so the extra commits cost nothing measurable.
 * Invalid events and failures of the monitoring logic go to the dead-letter topic and leave the state as it was; failures of Kafka itself (the store, the
 * producer) propagate so that Kafka Streams can recover.
 *
 * <p>The decoded states of recent runs stay in memory ({@link RunStateCache}), so a record costs
 * its batch, never a decoding: after every record the run's entry, without its per-example
 * arrays, is saved to {@code run-state}, naming the input offset of each losses record applied
 * since the arrays' last snapshot in {@code run-examples} ({@link ExampleStore}, which writes one
 * now and then). The stores (and their changelogs) and the losses topic are the durable copy: a
 * run read from the stores again (after a restart, a rebalance, an eviction from the cache or a
 * failure) gets its arrays from the snapshot and a replay of those records ({@link InputLosses}).
 * A run evicted from the cache is snapshotted first, so that its next read replays nothing. An
 * invalid event changes nothing (it is refused before), so the run's decoded state stays; an
 * event that fails otherwise drops it, since it may have been changed half-way, and the next
 * record of that run reads the stores again, which hold the state as it was before the event.
 * Either way a losses record that was not applied is noted in the run's entry, for a replay to skip.
 */
final class RunMonitorProcessor implements Processor<String, InboundEvent, Object, Object> {
    private final RunTracker tracker;
    private final String application;
    private final String signalName;
    private final LossesLog.Factory lossesLogs;
    private final Deserializer<?> lossesDecoder;
    private final String lossesTopic;
    private LossesLog lossesLog;
    private LossesReplay replay;
    private CurveRecorder curves;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RunState> store;
    private ExampleStore.Entries examples;
    private final RunStateCache decoded = new RunStateCache(RunStateCache.DEFAULT_RUNS, RunStateCache.DEFAULT_EXAMPLES);

    RunMonitorProcessor(RunTracker tracker, String application, String signalName, LossesLog.Factory lossesLogs,
                        Deserializer<?> lossesDecoder, String lossesTopic) {
        this.tracker = tracker;
        this.application = application;
        this.signalName = signalName;
        this.lossesLogs = lossesLogs;
        this.lossesDecoder = lossesDecoder;
        this.lossesTopic = lossesTopic;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TopologyNames.RUN_STATE_STORE);
        KeyValueStore<String, byte[]> exampleStore = context.getStateStore(TopologyNames.RUN_EXAMPLES_STORE);
        this.examples = ExampleStore.Entries.of(exampleStore::get, exampleStore::put);
        // a task initialised again (after a rebalance or a failure) restored its store from the changelog
        decoded.clear();
        this.lossesLog = lossesLogs.open(context.taskId().partition());
        this.replay = new InputLosses(lossesLog, lossesDecoder, lossesTopic);
        this.curves = new CurveRecorder(context.getStateStore(TopologyNames.RUN_CURVE_STORE),
                context.getStateStore(TopologyNames.RUN_DECISION_STORE), signalName);
    }

    @Override
    public void process(Record<String, InboundEvent> record) {
        boolean losses = record.value().event() instanceof ExampleLosses;
        long offset = losses ? context.recordMetadata().map(RecordMetadata::offset).orElseThrow() : -1;
        if (losses) {
            lossesLog.processed(offset, record.value().rawKey(), record.value().rawValue());
        }
        RunState state = decoded.get(record.key());
        if (state == null) {
            state = store.get(record.key());
            if (state != null) {
                ExampleStore.load(state, examples, replay);
                if (state.pendingRecords() > 0) {
                    // replayed: snapshot it, so that no later read replays the same records, and commit that soon
                    ExampleStore.snapshot(state, examples);
                    store.put(record.key(), state);
                    context.commit();
                }
            }
        }
        Outcome outcome;
        try {
            outcome = tracker.apply(record.key(), state, record.value().event(), record.timestamp());
        } catch (InvalidEventException e) {
            if (losses && state != null) {
                state.lossesSkipped(offset);
                save(record.key(), state);
                keep(record.key(), state);
            }
            deadLetter(record, DeadLetters.VALIDATION, e);
            return;
        } catch (RuntimeException e) {
            decoded.remove(record.key());
            RunState before = losses ? store.get(record.key()) : null;
            if (before != null) {
                before.lossesSkipped(offset);
                store.put(record.key(), before);
            }
            deadLetter(record, DeadLetters.PROCESSING, e);
            return;
        }
        if (losses) {
            outcome.state().lossesApplied(offset);
        }
        save(record.key(), outcome.state());
        keep(record.key(), outcome.state());
        curves.record(record.key(), record.value().event(), outcome.state(), outcome.decision());
        if (outcome.gap() != null) {
            context.forward(DeadLetterRecords.missingSteps(context, record.value().rawKey(), record.value().rawValue(),
                    record.timestamp(), record.key(), outcome.gap(), application), TopologyNames.DEAD_LETTERS_SINK);
        }
        if (outcome.decision() != null) {
            context.forward(new Record<Object, StopDecision>(record.key(), outcome.decision(), record.timestamp(),
                    new RecordHeaders()), TopologyNames.STOP_DECISIONS_SINK);
        }
        if (outcome.command() != null) {
            context.forward(new Record<Object, TrainingCommand>(record.key(), outcome.command(), record.timestamp(),
                    new RecordHeaders()), TopologyNames.COMMANDS_SINK);
        }
        if (outcome.decision() != null || outcome.command() != null) {
            // a trainer waits for it: commit the transaction that holds it now, not at the next interval
            context.commit();
        }
    }

    /** Keeps the run's decoded state; the runs dropped to make room are snapshotted, so that their next read replays nothing. */
    private void keep(String runId, RunState state) {
        for (RunState dropped : decoded.put(runId, state)) {
            if (dropped.pendingRecords() > 0) {
                ExampleStore.snapshot(dropped, examples);
                store.put(dropped.runId(), dropped);
            }
        }
    }

    /** Saves the run's entry (and its arrays' snapshot when one is due); a failure drops its decoded state. */
    private void save(String runId, RunState state) {
        try {
            ExampleStore.save(state, examples);
            store.put(runId, state);
        } catch (RuntimeException e) {
            decoded.remove(runId);
            throw e;
        }
    }

    @Override
    public void close() {
        decoded.clear();
        if (lossesLog != null) {
            lossesLog.close();
        }
    }

    private void deadLetter(Record<String, InboundEvent> record, String stage, RuntimeException error) {
        context.forward(DeadLetterRecords.of(context, record.value().rawKey(), record.value().rawValue(),
                record.timestamp(), stage, error, application), TopologyNames.DEAD_LETTERS_SINK);
    }
}
