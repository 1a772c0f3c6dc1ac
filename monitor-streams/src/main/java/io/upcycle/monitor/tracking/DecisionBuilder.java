package io.upcycle.monitor.tracking;

import io.upcycle.monitor.policy.Assessment;
import io.upcycle.monitor.policy.HardExamples;
import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.monitor.state.CheckpointRef;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.SignalHistory;
import io.upcycle.monitor.state.SignalNames;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a positive assessment into a {@link StopDecision} that carries its own evidence: the
 * policy and its parameters, the signal over the recent window, the hardest examples and the
 * checkpoint to merge. Everything in it comes from the events, so a replay rebuilds it exactly.
 */
final class DecisionBuilder {
    private DecisionBuilder() {
    }

    /** Same run, policy and step give the same id, so a replayed decision can be matched to the original. */
    static String decisionId(String runId, StopPolicy policy, long step) {
        return runId + ":" + policy.name() + "-v" + policy.version() + ":" + step;
    }

    /**
     * The decision at {@code step} (the run's step, or an evaluation's step for policies deciding on
     * evaluations: {@code onEvaluation}).
     */
    static StopDecision build(RunState run, long step, Assessment assessment, boolean onEvaluation, StopPolicy policy,
                              DecisionMode mode, long eventTime, int topHardExamples) {
        long mergeStep = assessment.mergeAtOrBefore() >= 0 ? Math.min(assessment.mergeAtOrBefore(), step) : step;
        Optional<CheckpointRef> checkpoint = run.checkpointFor(mergeStep, eventTime);
        String where = checkpoint.map(c -> "; merge the checkpoint of step " + c.step())
                .orElse("; no checkpoint at or before step " + mergeStep + " yet");
        return common(run, step, policy, checkpoint, topHardExamples, onEvaluation ? Source.LOSSES : Source.METRICS)
                .setDecisionId(decisionId(run.runId(), policy, step))
                .setPolicy(policy.name())
                .setPolicyVersion(policy.version())
                .setParameters(policy.parameters())
                .setMode(mode)
                .setReason(assessment.reason() + where + incompleteness(run))
                .build();
    }

    /**
     * The decision recorded when a run ends for good (BUDGET_EXHAUSTED, STOPPED, CANCELLED) before
     * {@code policy} fired: policy {@value EndOfRun#POLICY} (OBSERVE, nothing left to stop), naming the
     * run's last checkpoint so that a merge plan waiting for the run can complete. Its parameters say
     * which policy did not fire. Never made for a FAILED end: a failed run is expected to resume.
     */
    static StopDecision endOfRun(RunState run, StopPolicy policy, String endReason, long eventTime, int topHardExamples) {
        Optional<CheckpointRef> checkpoint = run.checkpointFor(run.step(), eventTime);
        double lastSignal = run.signals().values().length == 0 ? Double.NaN
                : run.signals().values()[run.signals().values().length - 1];
        String reason = String.format(Locale.ROOT, "run ended (%s) at step %d before %s fired (last %s %.3f)%s",
                endReason, run.step(), policy.name(), policy.signalName(), lastSignal,
                checkpoint.map(c -> "; merge its last checkpoint, step " + c.step()).orElse("; it saved no checkpoint"))
                + incompleteness(run);
        Map<String, String> parameters = new TreeMap<>();
        parameters.put(EndOfRun.WATCHED_POLICY, EndOfRun.watchedId(policy));
        policy.parameters().forEach((key, value) -> parameters.put(EndOfRun.WATCHED_PREFIX + key, value));
        return common(run, run.step(), policy, checkpoint, topHardExamples, null)
                .setDecisionId(run.runId() + ":" + EndOfRun.POLICY + "-v1:" + run.step())
                .setPolicy(EndOfRun.POLICY)
                .setPolicyVersion(1)
                .setParameters(parameters)
                .setMode(DecisionMode.OBSERVE)
                .setReason(reason)
                .build();
    }

    /** Where an evidence series comes from: the losses records or the step metrics records. */
    private enum Source {
        LOSSES, METRICS;

        static Source of(String series) {
            return series.equals(SignalNames.EVAL_LOSS) ? METRICS : LOSSES;
        }
    }

    /**
     * The policy's own series first, then every evidence series of another name, sorted by name. A step's losses
     * and its metrics travel on two topics with the same timestamp, so live either may come first,
     * while a replay has one order: the series fed by {@code racing} (the records other than the
     * decision's trigger; null: none) stop before the decision's step, so that the evidence is the
     * same live and in a replay.
     */
    private static StopDecision.Builder common(RunState run, long step, StopPolicy policy, Optional<CheckpointRef> checkpoint,
                                               int topHardExamples, Source racing) {
        List<SignalSeries> signals = new ArrayList<>();
        int window = run.signals().capacity();
        signals.add(series(policy.signalName(), run.signals(), Long.MAX_VALUE, window));
        // by name: the order in which series first got a value depends on which of a step's two records came first live
        new TreeMap<>(run.evidence()).forEach((name, history) -> {
            if (!name.equals(policy.signalName())) {
                signals.add(series(name, history, Source.of(name) == racing ? step : Long.MAX_VALUE, window));
            }
        });
        List<Integer> hard = Arrays.stream(HardExamples.top(run.latestLosses(), topHardExamples)).boxed().toList();
        return StopDecision.newBuilder()
                .setRunId(run.runId())
                .setTask(run.task())
                .setDecidedAtStep(step)
                .setCheckpointStep(checkpoint.map(CheckpointRef::step).orElse(null))
                .setCheckpointUri(checkpoint.map(CheckpointRef::uri).orElse(null))
                .setCheckpointSha256(checkpoint.map(CheckpointRef::sha256).orElse(null))
                .setSignals(signals)
                .setTopHardExampleIds(hard)
                .setMissingSteps(run.gaps().missing());
    }

    /** The reason's last clause for a run whose log misses steps; empty for a complete log. */
    private static String incompleteness(RunState run) {
        return run.incomplete() ? "; incomplete log: " + run.gaps().describe() + " never arrived" : "";
    }

    /**
     * The latest {@code window} entries of {@code history} at steps before {@code before}. Evidence
     * histories hold one entry more than the window, so an entry of the decision's step that was
     * recorded first (live, the order of a step's two records is not fixed) has pushed out none of them.
     */
    private static SignalSeries series(String name, SignalHistory history, long before, int window) {
        long[] steps = history.steps();
        double[] values = history.values();
        int n = 0;
        while (n < steps.length && steps[n] < before) {
            n++;
        }
        int from = Math.max(0, n - window);
        return SignalSeries.newBuilder()
                .setName(name)
                .setSteps(Arrays.stream(steps, from, n).boxed().toList())
                .setValues(Arrays.stream(values, from, n).boxed().toList())
                .build();
    }
}
