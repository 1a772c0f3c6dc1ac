package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import java.util.List;

/**
 * What turns the fired experts of a plan into one result for one method: {@link MergeRunner} for
 * weight merges, {@link io.upcycle.merger.moe.MoeUpcycler} for LoRA → MoE upcycling, and
 * {@link PlanMethods}, which hands each plan to the one of those that knows its method. The
 * service dispatches every method through this one interface.
 */
public interface PlanMethodRunner {

    /** The method names this runner can run. */
    List<String> methods();

    /**
     * Runs {@code plan.method()} over {@code experts} (one per run of {@code plan}, in its order), writes
     * the output and its card to the store, and returns the event to publish, carrying the plan's tags
     * and {@code plan.*} parameters.
     */
    MergeResult run(MergePlan plan, List<ExpertCheckpoint> experts);
}
