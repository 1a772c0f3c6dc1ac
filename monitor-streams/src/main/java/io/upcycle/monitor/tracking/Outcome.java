package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.StepGaps;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import java.util.Optional;

/**
 * The result of applying one valid event to a run.
 *
 * @param state the run's state afterwards, to be stored
 * @param decision the stop decision this event triggered, or null
 * @param command the training command (a learning-rate change) this event triggered, or null
 * @param gap the steps this event showed missing (its step is later than the one after the run's last), or null
 */
public record Outcome(RunState state, StopDecision decision, TrainingCommand command, StepGaps.Range gap) {
    /** An outcome without a training command. */
    public Outcome(RunState state, StopDecision decision) {
        this(state, decision, null, null);
    }

    /** An outcome that showed no missing steps. */
    public Outcome(RunState state, StopDecision decision, TrainingCommand command) {
        this(state, decision, command, null);
    }

    /** This outcome, of an event that showed steps {@code gap} missing (null: none). */
    public Outcome withGap(StepGaps.Range gap) {
        return new Outcome(state, decision, command, gap);
    }

    /** The stop decision this event triggered, if any. */
    public Optional<StopDecision> stopDecision() {
        return Optional.ofNullable(decision);
    }
}
