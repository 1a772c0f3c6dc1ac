package io.upcycle.merger.service;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.plan.ExpertsBase;
import io.upcycle.merger.plan.PlanFiring;
import io.upcycle.merger.plan.PlanMerges;
import io.upcycle.merger.plan.PlanMethodRunner;
import io.upcycle.merger.plan.PlanMethods;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.merger.plan.SeenDecisions;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every plan it knows (the configured one and those from {@code upcycle.merge-plans}) against
 * the stop decisions it has seen, and fires each plan once, as {@link PlanFiring} decides: one merge
 * per method with a {@link PlanMethodRunner} (usually {@link PlanMethods}: weight merges and MoE
 * upcycling), each published as {@code MergeCompleted}. Firing is
 * idempotent: a (plan, method) already in the {@link MergeHistory} (read from
 * {@code upcycle.merge-results} at start) is not merged again, and a plan that fired ignores later
 * decisions (first firing wins). A merge that fails (a checkpoint that fails verification) is logged
 * and kept as the plan's {@link #failure}, so that other plans go on; nothing was published for it,
 * so a restart tries again. The Kafka loop lives in {@link MergerLoop}.
 */
public final class MergerService {
    /** Application name on dead letters. */
    public static final String APPLICATION = "upcycle-merger";
    private static final Logger LOG = LoggerFactory.getLogger(MergerService.class);

    /** Where a finished merge's event goes (Kafka in production, a list in tests). */
    @FunctionalInterface
    public interface ResultSink {
        void publish(MergeCompleted event);
    }

    private static final class Tracked {
        final PlanSpec spec;
        boolean fired;

        Tracked(PlanSpec spec) {
            this.spec = spec;
        }
    }

    private final MergerConfig config;
    private final MergeHistory history;
    private final LongSupplier clock;
    private final SeenDecisions seen = new SeenDecisions();
    private final Map<String, Tracked> plans = new LinkedHashMap<>();
    private final PlanMerges merges;

    public MergerService(MergerConfig config, PlanMethodRunner runner, ResultSink sink) {
        this(config, runner, sink, new MergeHistory(), System::currentTimeMillis);
    }

    /** A service that knows the merges of {@code history} and reads the time (ms) from {@code clock}. */
    public MergerService(MergerConfig config, PlanMethodRunner runner, ResultSink sink, MergeHistory history, LongSupplier clock) {
        this.config = config;
        this.history = history;
        this.clock = clock;
        this.merges = new PlanMerges(runner, sink, history,
                experts -> ExpertsBase.of(config.store(), experts));
        config.plan().ifPresent(plan -> plans.put(plan.planId(), new Tracked(plan)));
    }

    /** A sink that sends to the merge-results topic, keyed by merge id, and waits for the acknowledgement. */
    public static ResultSink kafkaSink(EventProducer producer, Topics topics) {
        return event -> {
            try {
                producer.send(topics.mergeResults(), event.getMergeId(), event, System.currentTimeMillis()).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing merge " + event.getMergeId(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot publish merge " + event.getMergeId() + ": " + e.getCause(), e.getCause());
            }
        };
    }

    /** Adds a plan (the first plan under an id wins) and fires it if it may fire now. */
    public synchronized List<MergeResult> addPlan(PlanSpec plan) {
        register(plan);
        return evaluate(plans.get(plan.planId()));
    }

    /** Takes one decision, arrived now, into account and fires the plans it completes. */
    public synchronized List<MergeResult> accept(StopDecision decision) {
        return accept(decision, clock.getAsLong());
    }

    /** Takes one decision, arrived at {@code arrivedAtMs}, into account and fires the plans it completes. */
    public synchronized List<MergeResult> accept(StopDecision decision, long arrivedAtMs) {
        if (offer(decision, arrivedAtMs) != SeenDecisions.Outcome.RECORDED) {
            return List.of();
        }
        List<MergeResult> results = new ArrayList<>();
        for (Tracked plan : List.copyOf(plans.values())) {
            if (plan.spec.includes(decision.getRunId())) {
                results.addAll(evaluate(plan));
            }
        }
        return results;
    }

    /** Fires every plan whose timeout has passed by now; the Kafka loop calls it after each poll. */
    public synchronized List<MergeResult> tick() {
        List<MergeResult> results = new ArrayList<>();
        for (Tracked plan : List.copyOf(plans.values())) {
            results.addAll(evaluate(plan));
        }
        return results;
    }

    /** Runs of {@code planId} that have no usable decision yet (empty for an unknown plan). */
    public synchronized List<String> missingRuns(String planId) {
        Tracked plan = plans.get(planId);
        return plan == null ? List.of() : plan.spec.runIds().stream().filter(run -> seen.of(run).isEmpty()).toList();
    }

    /** Whether {@code planId} is known and has fired (here or, per the history, before a restart). */
    public synchronized boolean fired(String planId) {
        Tracked plan = plans.get(planId);
        return plan != null && plan.fired;
    }

    /** Why a fired plan's merge failed (e.g. a checkpoint that fails verification), if it did. */
    public synchronized Optional<RuntimeException> failure(String planId) {
        return merges.failure(planId);
    }

    /** Reads the merge history, then consumes plans and decisions until the configured plan fired or {@code wait} passed. */
    public List<MergeResult> runOnce(Topics topics, EventProducer producer, Duration wait) {
        return run(topics, producer, wait, config.plan().map(p -> Set.of(p.planId())).orElse(Set.of()));
    }

    /** As {@link #runOnce}, but returns once every plan of {@code untilFired} fired (never, when it is empty). */
    public List<MergeResult> run(Topics topics, EventProducer producer, Duration wait, Set<String> untilFired) {
        return new MergerLoop(this, config, history).run(topics, producer, wait, untilFired);
    }

    synchronized void register(PlanSpec plan) {
        Tracked known = plans.get(plan.planId());
        if (known == null) {
            plans.put(plan.planId(), new Tracked(plan));
        } else if (!known.spec.equals(plan)) {
            LOG.warn("plan {} arrived again with other contents {}; the first plan under that id wins: {}", plan.planId(), plan,
                    known.spec);
        }
    }

    synchronized SeenDecisions.Outcome offer(StopDecision decision, long arrivedAtMs) {
        SeenDecisions.Outcome outcome = seen.offer(decision, arrivedAtMs);
        LOG.info("stop decision {} of run {}: {}", decision.getDecisionId(), decision.getRunId(), outcome);
        if (outcome == SeenDecisions.Outcome.RECORDED) {
            plans.values().stream().filter(p -> p.fired && p.spec.includes(decision.getRunId())).forEach(p -> LOG.info(
                    "plan {} already fired; decision {} of run {} is not merged (first firing wins)", p.spec.planId(),
                    decision.getDecisionId(), decision.getRunId()));
        }
        return outcome;
    }

    private List<MergeResult> evaluate(Tracked plan) {
        if (plan.fired) {
            return List.of();
        }
        Optional<MergeHistory.Prior> prior = plan.spec.methods().stream()
                .flatMap(m -> history.find(plan.spec.planId(), m).stream()).findFirst();
        if (prior.isPresent()) {
            // an earlier process fired this plan: finish that firing with its experts, never with newer ones
            boolean complete = plan.spec.methods().stream().allMatch(m -> history.find(plan.spec.planId(), m).isPresent());
            if (complete) {
                plan.fired = true;
                LOG.info("plan {} already fired before as {} (on the merge results): not merged again, first firing wins",
                        plan.spec.planId(), prior.get().mergeId());
                return List.of();
            }
            return fire(plan, new PlanFiring.Fire(prior.get().experts(), plan.spec.runIds().size(),
                    "completing its earlier firing " + prior.get().mergeId() + " with the same experts"));
        }
        PlanFiring.Decision decision = PlanFiring.decide(plan.spec, seen, false, clock.getAsLong());
        return decision instanceof PlanFiring.Fire fire ? fire(plan, fire) : List.of();
    }

    private List<MergeResult> fire(Tracked plan, PlanFiring.Fire fire) {
        plan.fired = true;
        LOG.info("plan {} fires with runs {} ({}): {}", plan.spec.planId(),
                fire.experts().stream().map(ExpertCheckpoint::runId).toList(), fire.runsMerged(), fire.reason());
        return merges.run(plan.spec, fire);
    }
}
