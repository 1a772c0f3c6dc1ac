package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import java.util.List;
import java.util.Optional;

/**
 * When a plan fires, as a pure function of the plan, the decisions seen so far, whether it already
 * fired, and the time now (no Kafka, no clock). A plan fires once (first firing wins): when every
 * run has a decision, with all of them; or, with {@code minRuns = N > 0}, as soon as at least N
 * runs have one and {@code timeout} has passed since the N-th arrived, with the runs decided by
 * then. Until then it waits, until the returned deadline when one is known.
 */
public final class PlanFiring {

    /** What to do with a plan now. */
    public sealed interface Decision permits Fire, Wait, Skip {
    }

    /** Merge these experts (in the plan's run order); {@code reason} says which rule fired. */
    public record Fire(List<ExpertCheckpoint> experts, int ofRuns, String reason) implements Decision {
        /** For example {@code 3/4}. */
        public String runsMerged() {
            return experts.size() + "/" + ofRuns;
        }
    }

    /** Not yet; {@code deadlineMs} is when it fires without further decisions, if known. */
    public record Wait(int decided, int quorum, Optional<Long> deadlineMs) implements Decision {
    }

    /** Never again: the plan already fired. */
    public record Skip(String reason) implements Decision {
    }

    private PlanFiring() {
    }

    public static Decision decide(PlanSpec plan, SeenDecisions seen, boolean alreadyFired, long nowMs) {
        if (alreadyFired) {
            return new Skip("plan " + plan.planId() + " already fired; first firing wins");
        }
        List<SeenDecisions.Seen> decided = plan.runIds().stream().map(seen::of).flatMap(Optional::stream).toList();
        List<ExpertCheckpoint> experts = decided.stream().map(SeenDecisions.Seen::expert).toList();
        int all = plan.runIds().size();
        if (decided.size() == all) {
            return new Fire(experts, all, "every run has a stop decision");
        }
        if (plan.minRuns() == 0 || decided.size() < plan.minRuns()) {
            return new Wait(decided.size(), plan.quorum(), Optional.empty());
        }
        long quorumAt = decided.stream().mapToLong(SeenDecisions.Seen::arrivedAtMs).sorted()
                .skip(plan.minRuns() - 1L).findFirst().orElseThrow();
        long deadline = quorumAt + plan.timeout().toMillis();
        if (nowMs >= deadline) {
            return new Fire(experts, all, decided.size() + " of " + all + " runs decided (min " + plan.minRuns()
                    + ") and the timeout of " + plan.timeout().toMillis() + " ms has passed since decision number "
                    + plan.minRuns() + " arrived");
        }
        return new Wait(decided.size(), plan.quorum(), Optional.of(deadline));
    }
}
