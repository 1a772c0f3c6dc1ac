package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.StopDecision;
import java.util.Optional;

/**
 * The result of applying one valid event to a run.
 *
 * @param state the run's state afterwards, to be stored
 * @param decision the stop decision this event triggered, or null
 */
public record Outcome(RunState state, StopDecision decision) {
    /** The stop decision this event triggered, if any. */
    public Optional<StopDecision> stopDecision() {
        return Optional.ofNullable(decision);
    }
}
