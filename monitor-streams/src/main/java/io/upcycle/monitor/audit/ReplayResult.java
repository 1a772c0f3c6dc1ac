package io.upcycle.monitor.audit;

import io.upcycle.schemas.avro.StopDecision;
import java.util.List;
import java.util.Map;

/**
 * What one replay produced.
 *
 * @param decisions the stop decisions per run id, in the order emitted
 * @param lastSteps the last step each replayed run reached
 * @param records input records piped through the topology
 * @param deadLetters records the topology dead-lettered (undecodable or invalid, as live)
 * @param deadLettersByRun per run id: the dead-lettered records' stage and error, in order (at most
 *     {@link #REASONS_KEPT} kept per run) and how many there were
 */
public record ReplayResult(Map<String, List<StopDecision>> decisions, Map<String, Long> lastSteps, long records, long deadLetters,
                           Map<String, DeadLetters> deadLettersByRun) {
    /** How many dead-letter reasons are kept per run. */
    public static final int REASONS_KEPT = 3;

    /** The dead letters of one run in a replay: how many, and the first reasons. */
    public record DeadLetters(long count, List<String> firstReasons) {
        public static final DeadLetters NONE = new DeadLetters(0, List.of());
    }

    public List<StopDecision> decisionsOf(String runId) {
        return decisions.getOrDefault(runId, List.of());
    }
}
