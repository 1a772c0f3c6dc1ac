package io.upcycle.merger;

import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which runs of a plan have a stop decision with a checkpoint, and whether the plan was merged.
 * The first usable decision of a run counts; later ones (a replay, or a second decision) do not
 * change the expert, so a replayed log merges the same checkpoints, and never twice.
 */
final class PlanProgress {
    /** What an offered decision did. */
    enum Outcome { OTHER_RUN, NO_CHECKPOINT, ALREADY_DECIDED, RECORDED, COMPLETED, ALREADY_MERGED }

    private final MergePlan plan;
    private final Map<String, ExpertCheckpoint> decided = new LinkedHashMap<>();
    private boolean merged;

    PlanProgress(MergePlan plan) {
        this.plan = plan;
    }

    Outcome offer(StopDecision decision) {
        if (!plan.includes(decision.getRunId())) {
            return Outcome.OTHER_RUN;
        }
        if (merged) {
            return Outcome.ALREADY_MERGED;
        }
        if (decided.containsKey(decision.getRunId())) {
            return Outcome.ALREADY_DECIDED;
        }
        if (decision.getCheckpointUri() == null || decision.getCheckpointSha256() == null || decision.getCheckpointStep() == null) {
            return Outcome.NO_CHECKPOINT;
        }
        decided.put(decision.getRunId(), ExpertCheckpoint.from(decision));
        return decided.size() == plan.runIds().size() ? Outcome.COMPLETED : Outcome.RECORDED;
    }

    /** The experts in the plan's run order; only meaningful once complete. */
    List<ExpertCheckpoint> experts() {
        List<ExpertCheckpoint> experts = new ArrayList<>();
        plan.runIds().forEach(run -> experts.add(decided.get(run)));
        return experts;
    }

    /** Runs still waiting for a decision. */
    List<String> missing() {
        return plan.runIds().stream().filter(run -> !decided.containsKey(run)).toList();
    }

    void markMerged() {
        merged = true;
    }

    boolean merged() {
        return merged;
    }
}
