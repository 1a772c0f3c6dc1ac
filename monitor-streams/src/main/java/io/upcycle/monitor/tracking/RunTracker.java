package io.upcycle.monitor.tracking;

import io.upcycle.monitor.policy.Assessment;
import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.monitor.state.CheckpointRef;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.SignalNames;
import io.upcycle.monitor.state.StepGaps;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;

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
 *
 * <p>Whatever the policy, every step also records the run's evidence signals ({@link SignalRecorder}),
 * and {@link StepMetrics} with an evaluation loss are kept and offered to the policy
 * ({@link StopPolicy#assessEvaluation}), which may decide at the evaluation's step.
 *
 * <p>A batch whose step is later than the one after the run's last shows steps missing from the
 * log (a trainer that lost events): it is applied, the run is marked incomplete
 * ({@link RunState#gaps()}), and the outcome names the gap so that it is dead-lettered; any later
 * decision of the run says how many steps it was computed without.</p>
 */
public final class RunTracker {
    private final StopPolicy policy;
    private final DecisionMode mode;
    private final int signalWindow;
    private final int topHardExamples;
    private final int maxExamplesPerRun;
    private final SignalRecorder recorder;

    public RunTracker(StopPolicy policy, DecisionMode mode, int signalWindow, int topHardExamples, int maxExamplesPerRun) {
        this(policy, mode, signalWindow, topHardExamples, maxExamplesPerRun, SignalSettings.DEFAULTS);
    }

    public RunTracker(StopPolicy policy, DecisionMode mode, int signalWindow, int topHardExamples, int maxExamplesPerRun,
                      SignalSettings signals) {
        this.recorder = new SignalRecorder(signals, signalWindow);
        this.policy = policy;
        this.mode = mode;
        this.signalWindow = signalWindow;
        this.topHardExamples = topHardExamples;
        this.maxExamplesPerRun = maxExamplesPerRun;
    }

    /**
     * Applies {@code event} (a {@link RunEvent}, {@link ExampleLosses}, {@link StepMetrics} or {@link CheckpointSaved})
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
        if (event instanceof StepMetrics metrics) {
            return onMetrics(runId, state, metrics, eventTime);
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
        run.labels(e.getHyperParameters());
        return run;
    }

    private Outcome onLosses(String runId, RunState state, ExampleLosses e, long eventTime) {
        EventValidator.keyMatches(runId, e.getRunId());
        RunState run = EventValidator.known(state, runId, "losses");
        int[] ids = PrimitiveArrays.ints(e.getExampleIds());
        float[] losses = PrimitiveArrays.floats(e.getLosses());
        float[] el2n = PrimitiveArrays.floats(e.getEl2n());
        boolean[] correct = PrimitiveArrays.booleans(e.getCorrect());
        StepGaps.Range gap = null;
        if (e.getFullPass()) {
            EventValidator.fullPass(run, e.getStep(), ids, losses, correct.length, el2n);
            run.applyFullPass(ids, losses, correct, el2n);
        } else {
            EventValidator.losses(run, e.getStep(), ids, losses, correct.length, el2n);
            gap = gapBefore(run, e.getStep());
            recorder.beforeBatch(run, e.getStep());
            run.applyLosses(e.getStep(), ids, losses, correct, el2n);
        }
        // After a full pass these replace the entries its batch gave the same step.
        recorder.record(run);
        return decide(run, run.step(), policy.assess(run), false, eventTime).withGap(gap);
    }

    /**
     * The steps missing before {@code step} (the run's first step is 0 or 1; later ones follow the
     * highest step seen in any attempt by one), recorded in the run's state; null when none is missing.
     * The step itself is valid and is applied: a gap is a loss the log already suffered, and dropping
     * what did arrive would add to it.
     */
    private static StepGaps.Range gapBefore(RunState run, long step) {
        long seen = Math.max(run.step(), run.highestStep());
        long next = seen < 0 ? 1 : seen + 1;
        if (step <= next) {
            return null;
        }
        run.recordGap(next, step - 1);
        return new StepGaps.Range(next, step - 1);
    }

    private Outcome onMetrics(String runId, RunState state, StepMetrics e, long eventTime) {
        EventValidator.keyMatches(runId, e.getRunId());
        RunState run = EventValidator.known(state, runId, "step metrics");
        EventValidator.stepMetrics(run, e);
        run.applyMetrics(e.getStep(), e.getEvalLoss(), e.getLearningRate());
        if (e.getEvalLoss() == null) {
            return new Outcome(run, null);
        }
        // one more than the window: live, an evaluation step's metrics may come before its losses decide
        run.evidence(SignalNames.EVAL_LOSS, run.signals().capacity() + 1).add(e.getStep(), e.getEvalLoss());
        Assessment assessment = policy.assessEvaluation(run, e.getStep());
        return assessment == null ? new Outcome(run, null) : decide(run, e.getStep(), assessment, true, eventTime);
    }

    /**
     * Records the policy's signal at {@code step} (unless NaN) and emits the run's one decision if it
     * says stop, or the learning-rate command it asks for (ENFORCE mode only, undecided runs only).
     * {@code onEvaluation}: the assessment came from step metrics, not from losses.
     */
    private Outcome decide(RunState run, long step, Assessment assessment, boolean onEvaluation, long eventTime) {
        if (!Double.isNaN(assessment.signal())) {
            run.signals().add(step, assessment.signal());
        }
        double rate = assessment.newLearningRate();
        if (!assessment.stop() && rate > 0 && !Double.isInfinite(rate) && mode == DecisionMode.ENFORCE && !run.decided()) {
            return new Outcome(run, null, Commands.setLearningRate(run.runId(), policy, step, rate, assessment.reason()));
        }
        if (!assessment.stop() || run.decided()) {
            return new Outcome(run, null);
        }
        run.markDecided(step);
        return new Outcome(run, DecisionBuilder.build(run, step, assessment, onEvaluation, policy, mode, eventTime, topHardExamples));
    }
}
