package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import java.util.regex.Pattern;

/**
 * The contract every input event must keep, checked before anything is applied, so that an
 * invalid event never half-changes a run. Each failure says what is wrong in one sentence.
 */
final class EventValidator {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private EventValidator() {
    }

    static void keyMatches(String key, String runId) {
        if (!runId.equals(key)) {
            throw new InvalidEventException("record key '" + key + "' is not the event's run id '" + runId + "'");
        }
    }

    static RunState known(RunState state, String runId, String what) {
        if (state == null) {
            throw new InvalidEventException(what + " for unknown run '" + runId + "' (no RunStarted seen)");
        }
        return state;
    }

    static void start(RunState state, RunStarted e, int maxExamples) {
        if (state != null && e.getResumedFromStep() == null) {
            throw new InvalidEventException("run '" + e.getRunId() + "' already started; a restart must set resumedFromStep");
        }
        if (e.getExampleCount() < 1 || e.getExampleCount() > maxExamples) {
            throw new InvalidEventException("exampleCount " + e.getExampleCount() + " is outside 1.." + maxExamples);
        }
        if (e.getClassCount() < 2) {
            throw new InvalidEventException("classCount " + e.getClassCount() + " is below 2");
        }
        if (e.getResumedFromStep() != null && e.getResumedFromStep() < 0) {
            throw new InvalidEventException("resumedFromStep " + e.getResumedFromStep() + " is negative");
        }
        if (state != null && state.exampleCount() != e.getExampleCount()) {
            throw new InvalidEventException("resumed run '" + e.getRunId() + "' has exampleCount " + e.getExampleCount()
                    + ", it started with " + state.exampleCount());
        }
    }

    static void end(RunState state, RunEnded e) {
        if (state.ended()) {
            throw new InvalidEventException("run '" + e.getRunId() + "' already ended at step " + state.finalStep());
        }
        // A FAILED end is stamped after the failed attempt's last step; on a replay in timestamp order it can
        // come after the first steps of the attempt that resumed it, so its final step is not checked.
        if (e.getReason() != EndReason.FAILED && e.getFinalStep() < state.step()) {
            throw new InvalidEventException("final step " + e.getFinalStep() + " is before the last reported step " + state.step());
        }
    }

    /** Checks a step of losses given as its decoded parallel arrays ({@code correct}, {@code el2n}: may be empty). */
    static void losses(RunState state, long step, int[] ids, float[] losses, int correctCount, float[] el2n) {
        stepIsNext(state, step, state.step(), "losses");
        arrays(state, ids, losses, correctCount, el2n);
    }

    /** Checks a full pass: of the run's current step (it follows that step's batch), arrays as for a batch. */
    static void fullPass(RunState state, long step, int[] ids, float[] losses, int correctCount, float[] el2n) {
        if (step != state.step() || step < 0) {
            throw new InvalidEventException("full-pass step " + step + " is not the run's current step "
                    + (state.step() < 0 ? "(no step reported yet)" : Long.toString(state.step())));
        }
        arrays(state, ids, losses, correctCount, el2n);
    }

    private static void arrays(RunState state, int[] ids, float[] losses, int correctCount, float[] el2n) {
        if (ids.length != losses.length || (correctCount != 0 && correctCount != ids.length)
                || (el2n.length != 0 && el2n.length != ids.length)) {
            throw new InvalidEventException("parallel arrays differ in length: exampleIds " + ids.length + ", losses "
                    + losses.length + ", correct " + correctCount + ", el2n " + el2n.length);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= state.exampleCount()) {
                throw new InvalidEventException("example id " + ids[i] + " at index " + i + " is outside 0.."
                        + (state.exampleCount() - 1));
            }
            if (!(losses[i] >= 0) || Float.isInfinite(losses[i])) {
                throw new InvalidEventException("loss " + losses[i] + " of example " + ids[i] + " at index " + i
                        + " is not a finite non-negative number");
            }
        }
        for (int i = 0; i < el2n.length; i++) {
            float value = el2n[i];
            if (!(value >= 0) || Float.isInfinite(value)) {
                throw new InvalidEventException("el2n " + value + " of example " + ids[i] + " at index " + i
                        + " is not a finite non-negative number");
            }
        }
    }

    /** Step metrics: the step after the previous metrics' step, an evaluation loss (if any) finite and non-negative. */
    static void stepMetrics(RunState state, StepMetrics e) {
        stepIsNext(state, e.getStep(), state.lastMetricsStep(), "step metrics");
        Float eval = e.getEvalLoss();
        if (eval != null && (!(eval >= 0) || Float.isInfinite(eval))) {
            throw new InvalidEventException("evalLoss " + eval + " of step " + e.getStep() + " is not a finite non-negative number");
        }
    }

    static void checkpoint(RunState state, CheckpointSaved e) {
        stepIsNext(state, e.getStep(), state.lastCheckpointStep(), "checkpoint");
        if (e.getUri().isBlank()) {
            throw new InvalidEventException("checkpoint of step " + e.getStep() + " has no uri");
        }
        if (!SHA256.matcher(e.getSha256()).matches()) {
            throw new InvalidEventException("checkpoint of step " + e.getStep() + " has sha256 '" + e.getSha256()
                    + "', not 64 lowercase hex digits");
        }
    }

    private static void stepIsNext(RunState state, long step, long previous, String what) {
        if (step < 0) {
            throw new InvalidEventException(what + " step " + step + " is negative");
        }
        if (step <= previous) {
            throw new InvalidEventException(what + " step " + step + (step == previous ? " is a duplicate" : " goes backwards")
                    + " (last was " + previous + ")");
        }
        if (state.ended() && step > state.finalStep()) {
            throw new InvalidEventException(what + " step " + step + " is after the run ended at step " + state.finalStep());
        }
    }
}
