package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.schemas.avro.StopDecision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The first usable stop decision of every run, whatever plan (if any) names it, with the time it
 * arrived: plans may arrive after their runs' decisions. A replayed decision, or a second decision
 * of a run, changes nothing, so a replayed log yields the same experts. No Kafka here.
 */
public final class SeenDecisions {
    /** What an offered decision did. */
    public enum Outcome { RECORDED, DUPLICATE, RUN_ALREADY_DECIDED, NO_CHECKPOINT }

    /** A run's chosen checkpoint, the decision that chose it, and when it arrived (ms). */
    public record Seen(String decisionId, ExpertCheckpoint expert, long arrivedAtMs) {
    }

    private final Map<String, Seen> byRun = new LinkedHashMap<>();

    public Outcome offer(StopDecision decision, long arrivedAtMs) {
        Seen seen = byRun.get(decision.getRunId());
        if (seen != null) {
            return seen.decisionId().equals(decision.getDecisionId()) ? Outcome.DUPLICATE : Outcome.RUN_ALREADY_DECIDED;
        }
        if (decision.getCheckpointUri() == null || decision.getCheckpointSha256() == null || decision.getCheckpointStep() == null) {
            return Outcome.NO_CHECKPOINT;
        }
        byRun.put(decision.getRunId(), new Seen(decision.getDecisionId(), ExpertCheckpoint.from(decision), arrivedAtMs));
        return Outcome.RECORDED;
    }

    public Optional<Seen> of(String runId) {
        return Optional.ofNullable(byRun.get(runId));
    }
}
