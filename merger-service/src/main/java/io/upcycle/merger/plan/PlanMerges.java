package io.upcycle.merger.plan;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.service.MergeHistory;
import io.upcycle.merger.service.MergerService;
import io.upcycle.schemas.avro.MergeCompleted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one firing of a plan: one merge per method over the fired experts, skipping a (plan, method)
 * already in the {@link MergeHistory}; each merge gets the plan's tags and {@code plan.*} parameters
 * from {@link PlanSpec#mergePlan}, so its event and card agree. A failed merge is logged and kept as
 * the plan's failure, so that the other methods and plans go on; nothing is published for it, so a
 * restart tries again.
 */
public final class PlanMerges {
    private static final Logger LOG = LoggerFactory.getLogger(PlanMerges.class);

    private final PlanMethodRunner runner;
    private final MergerService.ResultSink sink;
    private final MergeHistory history;
    private final Map<String, RuntimeException> failures = new LinkedHashMap<>();

    private final Function<List<ExpertCheckpoint>, ExpertsBase.Base> baseOfExperts;

    /** Merges that find the base of a plan naming none with {@code baseOfExperts} ({@link ExpertsBase}). */
    public PlanMerges(PlanMethodRunner runner, MergerService.ResultSink sink, MergeHistory history,
                      Function<List<ExpertCheckpoint>, ExpertsBase.Base> baseOfExperts) {
        this.runner = runner;
        this.sink = sink;
        this.history = history;
        this.baseOfExperts = baseOfExperts;
    }

    public Optional<RuntimeException> failure(String planId) {
        return Optional.ofNullable(failures.get(planId));
    }

    public List<MergeResult> run(PlanSpec configured, PlanFiring.Fire fire) {
        List<String> runs = fire.experts().stream().map(ExpertCheckpoint::runId).toList();
        List<MergeResult> results = new ArrayList<>();
        PlanSpec spec = configured;
        if (configured.baseFromExperts()) {
            try {
                ExpertsBase.Base base = baseOfExperts.apply(fire.experts());
                spec = configured.withBase(base.uri(), base.sha256());
                LOG.info("plan {} names no base: its experts were trained from {} (sha256 {})", spec.planId(), base.uri(), base.sha256());
            } catch (RuntimeException e) {
                LOG.error("plan {} names no base and its experts name none usable: {}", configured.planId(), e.toString(), e);
                failures.putIfAbsent(configured.planId(), e);
                return results;
            }
        }
        for (String method : spec.methods()) {
            Optional<MergeHistory.Prior> prior = history.find(spec.planId(), method);
            if (prior.isPresent()) {
                LOG.info("plan {} method {} already merged as {} with experts {}{}: skipped", spec.planId(), method,
                        prior.get().mergeId(), prior.get().experts().stream().map(ExpertCheckpoint::runId).toList(),
                        prior.get().experts().equals(fire.experts()) ? "" : " (other inputs than now; first firing wins)");
                continue;
            }
            MergeResult merged;
            try {
                merged = runner.run(spec.mergePlan(method, runs), fire.experts());
            } catch (RuntimeException e) {
                // one plan's bad checkpoint must not stop the others; nothing was published, so a restart retries it
                LOG.error("plan {} method {} failed and is not retried by this process: {}", spec.planId(), method, e.toString(), e);
                failures.putIfAbsent(spec.planId(), e);
                continue;
            }
            MergeCompleted event = merged.event();
            sink.publish(event);
            history.record(event);
            LOG.info("plan {} merged with {} as {} (lambda {}), output {}", spec.planId(), method, event.getMergeId(),
                    merged.lambda(), merged.output().uri());
            results.add(merged);
        }
        return results;
    }
}
