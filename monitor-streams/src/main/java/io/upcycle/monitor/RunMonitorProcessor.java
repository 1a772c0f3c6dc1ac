package io.upcycle.monitor;

import io.upcycle.monitor.curve.CurveRecorder;
import io.upcycle.monitor.state.ExampleStore;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.tracking.InvalidEventException;
import io.upcycle.monitor.tracking.Outcome;
import io.upcycle.monitor.tracking.RunTracker;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 * its batch, never a decoding: after every record the examples it changed are saved to
 * {@code run-examples} ({@link ExampleStore}: a patch of the changed values, now and then a
 * snapshot) and the run's entry, without its per-example arrays, to {@code run-state}; the stores
 * (and their changelogs) stay the durable copy. An
 * event that fails drops its run's decoded state, which may have been changed half-way; the next
 * record of that run reads the store again, which holds the state as it was before the event.
 */
final class RunMonitorProcessor implements Processor<String, InboundEvent, Object, Object> {
    private final RunTracker tracker;
    private final String application;
    private final String signalName;
    private CurveRecorder curves;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RunState> store;
    private ExampleStore.Entries examples;
    private final RunStateCache decoded = new RunStateCache(RunStateCache.DEFAULT_RUNS, RunStateCache.DEFAULT_EXAMPLES);

    RunMonitorProcessor(RunTracker tracker, String application, String signalName) {
        this.tracker = tracker;
        this.application = application;
        this.signalName = signalName;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TopologyNames.RUN_STATE_STORE);
        KeyValueStore<String, byte[]> exampleStore = context.getStateStore(TopologyNames.RUN_EXAMPLES_STORE);
        this.examples = ExampleStore.Entries.of(exampleStore::get, exampleStore::put);
        // a task initialised again (after a rebalance or a failure) restored its store from the changelog
        decoded.clear();
        this.curves = new CurveRecorder(context.getStateStore(TopologyNames.RUN_CURVE_STORE),
                context.getStateStore(TopologyNames.RUN_DECISION_STORE), signalName);
    }

    @Override
    public void process(Record<String, InboundEvent> record) {
        RunState state = decoded.get(record.key());
        if (state == null) {
            state = store.get(record.key());
            if (state != null) {
                ExampleStore.load(state, examples);
            }
        }
        Outcome outcome;
        try {
            outcome = tracker.apply(record.key(), state, record.value().event(), record.timestamp());
        } catch (InvalidEventException e) {
            decoded.remove(record.key());
            deadLetter(record, DeadLetters.VALIDATION, e);
            return;
        } catch (RuntimeException e) {
            decoded.remove(record.key());
            deadLetter(record, DeadLetters.PROCESSING, e);
            return;
        }
        try {
            ExampleStore.save(outcome.state(), examples);
            store.put(record.key(), outcome.state());
        } catch (RuntimeException e) {
            decoded.remove(record.key());
            throw e;
        }
        decoded.put(record.key(), outcome.state());
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

    @Override
    public void close() {
        decoded.clear();
    }

    private void deadLetter(Record<String, InboundEvent> record, String stage, RuntimeException error) {
        context.forward(DeadLetterRecords.of(context, record.value().rawKey(), record.value().rawValue(),
                record.timestamp(), stage, error, application), TopologyNames.DEAD_LETTERS_SINK);
    }
}
