package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import java.util.Optional;

/**
 * The result of applying one valid event to a run.
 *
 * @param state the run's state afterwards, to be stored
 * @param decision the stop decision this event triggered, or null
 * @param command the training command (a learning-rate change) this event triggered, or null
 */
public record Outcome(RunState state, StopDecision decision, TrainingCommand command) {
    /** An outcome without a training command. */
    public Outcome(RunState state, StopDecision decision) {
        this(state, decision, null);
    }

    /** The stop decision this event triggered, if any. */
    public Optional<StopDecision> stopDecision() {
        return Optional.ofNullable(decision);
    }
}
