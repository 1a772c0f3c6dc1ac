package io.upcycle.merger.service;

import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import io.upcycle.config.ConfiguredCommand;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.engine.TensorFlowEngine;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.merger.plan.PlanMethods;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.AccessCheck;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code upcycle merger}: the merger service; every option is a key of {@link MergerConfig}. */
@Command(name = "merger", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the merger service: merge a plan's experts once their stop decisions arrive (TensorFlow engine).",
            "Reads upcycle.merge-results (merges already published), then plans from upcycle.merge-plans (MergeRequested,"
                    + " key: plan id) and from the plan.* keys, and stop decisions. A plan fires once: when all its runs have a"
                    + " decision, or (plan.min.runs N > 0) when N have one and plan.timeout.ms has passed since the N-th; it merges"
                    + " the runs decided by then, once per method, tunes lambda on validation and publishes MergeCompleted"
                    + " (parameter plan.runs.merged, e.g. 3/4, and the plan's tags; the card beside the output says the same)."
                    + " moe_arrow and moe_router upcycle the plan's LoRA adapters into a mixture of experts instead. A (plan,"
                    + " method) already on upcycle.merge-results is not merged again. Stops once the configured plan fired, or"
                    + " after wait.ms."})
public final class MergerCommand extends ConfiguredCommand {
    @Override
    protected ConfigSpec config() {
        return MergerConfig.SPEC;
    }

    @Override
    protected int run(ConfigValues values) {
        List<MergeResult> results = run(MergerConfig.from(values), TaskDataSource.catalog());
        for (MergeResult result : results) {
            System.out.println("merged plan " + result.event().getPlanId() + " with " + result.event().getMethod() + " as "
                    + result.event().getMergeId() + " (lambda " + result.lambda() + ", runs "
                    + result.event().getParameters().get("plan.runs.merged") + "): " + result.output().uri());
            result.event().getScores().forEach(s -> System.out.printf("  %-24s merged %.4f  expert %.4f  normalized %.4f%n",
                    s.getTask(), s.getMergedAccuracy(), s.getExpertAccuracy(), s.getNormalizedAccuracy()));
            System.out.println("card: " + result.card());
        }
        if (results.isEmpty()) {
            System.out.println("no plan fired");
        }
        return 0;
    }

    /**
     * Loads the TF engine and runs the service for up to {@code wait.ms}; returns the merges it
     * published. A configured plan that did not fire by then is an error naming its undecided runs.
     */
    public static List<MergeResult> run(MergerConfig config, TaskDataSource data) {
        AccessCheck.verify(config.connection());
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager();
             EventProducer producer = new EventProducer(config.connection())) {
            Topics topics = Topics.connect(config.connection());
            CheckpointStore store = config.store();
            PlanMethods runner = new PlanMethods(List.of(
                    new MergeRunner(store, MergeMethods.defaults(), data, manager, tf.deviceName(), config.options()),
                    new MoeUpcycler(store, data, manager, tf.deviceName(), config.moeOptions())));
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
            List<MergeResult> results = service.runOnce(topics, producer, config.waitFor());
            config.plan().ifPresent(plan -> {
                if (!service.fired(plan.planId())) {
                    throw new IllegalStateException("plan " + plan.planId() + " did not fire within " + config.waitFor()
                            + "; runs without a stop decision: " + service.missingRuns(plan.planId()));
                }
                service.failure(plan.planId()).ifPresent(e -> {
                    throw new IllegalStateException("plan " + plan.planId() + " failed to merge: " + e.getMessage(), e);
                });
            });
            return results;
        }
    }
}
