package io.upcycle.monitor.tracking;

import io.upcycle.monitor.policy.Assessment;
import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.monitor.state.CheckpointRef;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;

/**
 * Applies the events of one run to its state and asks the stop policy after every step of
 * losses: the whole monitoring logic, free of Kafka, driven by event contents and event time
 * only. A run gets at most one stop decision. Invalid events throw {@link InvalidEventException}
 * before anything changes.
 *
 * <p>A full pass ({@link ExampleLosses#getFullPass()}: every example's loss, published right after
 * its step's batch with the same step number) updates every example's latest loss without
 * counting a step, and the policy assesses the run again on it. A run that ends in any other
 * way than FAILED (BUDGET_EXHAUSTED, STOPPED, CANCELLED) before its policy fired gets an OBSERVE
 * end-of-run decision naming its last checkpoint; a run that ends FAILED gets none, because a
 * failed run is expected to resume ({@code RunStarted} with {@code resumedFromStep}), after which
 * it is monitored again and can still get a real stop decision.
 */
public final class RunTracker {
    private final StopPolicy policy;
    private final DecisionMode mode;
    private final int signalWindow;
    private final int topHardExamples;
    private final int maxExamplesPerRun;

    public RunTracker(StopPolicy policy, DecisionMode mode, int signalWindow, int topHardExamples, int maxExamplesPerRun) {
        this.policy = policy;
        this.mode = mode;
        this.signalWindow = signalWindow;
        this.topHardExamples = topHardExamples;
        this.maxExamplesPerRun = maxExamplesPerRun;
    }

    /**
     * Applies {@code event} (a {@link RunEvent}, {@link ExampleLosses} or {@link CheckpointSaved})
     * keyed by {@code runId} to {@code state} (null for a run not seen yet).
     *
     * @param eventTime the record's event time
     */
    public Outcome apply(String runId, RunState state, Object event, long eventTime) {
        if (event instanceof RunEvent run && run.getEvent() instanceof RunStarted started) {
            return new Outcome(start(runId, state, started), null);
        }
        if (event instanceof RunEvent run && run.getEvent() instanceof RunEnded ended) {
            EventValidator.keyMatches(runId, ended.getRunId());
            RunState known = EventValidator.known(state, runId, "RunEnded");
            EventValidator.end(known, ended);
            known.end(Math.max(ended.getFinalStep(), known.step()));
            if (known.decided() || ended.getReason() == EndReason.FAILED) {
                // A failed run is expected to resume (RunStarted with resumedFromStep): it stays undecided.
                return new Outcome(known, null);
            }
            // The policy never fired: say so, and name the last checkpoint, so a merge plan can complete.
            known.markDecided(ended.getFinalStep());
            return new Outcome(known, DecisionBuilder.endOfRun(known, policy, String.valueOf(ended.getReason()), eventTime, topHardExamples));
        }
        if (event instanceof ExampleLosses losses) {
            return onLosses(runId, state, losses, eventTime);
        }
        if (event instanceof CheckpointSaved checkpoint) {
            EventValidator.keyMatches(runId, checkpoint.getRunId());
            RunState known = EventValidator.known(state, runId, "checkpoint");
            EventValidator.checkpoint(known, checkpoint);
            known.addCheckpoint(new CheckpointRef(checkpoint.getStep(), checkpoint.getUri(), checkpoint.getSha256(), eventTime));
            return new Outcome(known, null);
        }
        throw new InvalidEventException("unexpected event " + (event == null ? "null" : event.getClass().getSimpleName()));
    }

    private RunState start(String runId, RunState state, RunStarted e) {
        EventValidator.keyMatches(runId, e.getRunId());
        EventValidator.start(state, e, maxExamplesPerRun);
        RunState run = state != null ? state
                : RunState.started(runId, e.getTask(), e.getExampleCount(), e.getClassCount(), signalWindow);
        if (e.getResumedFromStep() != null) {
            run.resumeFrom(e.getResumedFromStep());
        }
        return run;
    }

    private Outcome onLosses(String runId, RunState state, ExampleLosses e, long eventTime) {
        EventValidator.keyMatches(runId, e.getRunId());
        RunState run = EventValidator.known(state, runId, "losses");
        int[] ids = PrimitiveArrays.ints(e.getExampleIds());
        float[] losses = PrimitiveArrays.floats(e.getLosses());
        float[] el2n = PrimitiveArrays.floats(e.getEl2n());
        if (e.getFullPass()) {
            EventValidator.fullPass(run, e.getStep(), ids, losses, e.getCorrect().size(), el2n);
            run.applyFullPass(ids, losses);
        } else {
            EventValidator.losses(run, e.getStep(), ids, losses, e.getCorrect().size(), el2n);
            run.applyLosses(e.getStep(), ids, losses);
        }
        // After a full pass this replaces the assessment its batch gave the same step.
        Assessment assessment = policy.assess(run);
        run.signals().add(run.step(), assessment.signal());
        if (!assessment.stop() || run.decided()) {
            return new Outcome(run, null);
        }
        run.markDecided(run.step());
        return new Outcome(run, DecisionBuilder.build(run, assessment, policy, mode, eventTime, topHardExamples));
    }
}
