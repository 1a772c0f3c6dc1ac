package io.upcycle.cli.report;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The results of a study, extracted from its events by {@link #from} and nothing else: per
 * fine-tuning mode and merge method, the merged test accuracy (mean over tasks, then mean ± s.d. over
 * seeds) at each task's automatic stop (the live rule), at its stop under each replayed rule, at the
 * full budget and at each fixed length; the experts' own accuracy; the baselines (the base trunk with
 * each expert's head, and the linear probe); where and why each run stopped; the compute the enforce
 * pass saved; and the ids and hashes every number comes from. Accuracies are fractions in [0, 1].
 */
public record StudyResults(String studyId, List<ModeResult> modes, Provenance provenance, List<String> warnings) {

    /** Point labels: a task's own monitor-chosen checkpoint, and the linear-probe baseline. */
    public static final String AUTO = "auto";
    public static final String BASELINE = "baseline";

    /** Builds the results from decoded events; see {@link ResultsBuilder} for the rules. */
    public static StudyResults from(StudyEvents events) {
        return new ResultsBuilder(events).build();
    }

    /**
     * One fine-tuning mode (FULL or LORA). {@code fullBudget} is the largest fixed length merged;
     * {@code autoRule} the live rule's policy name; {@code rules} the replayed rules, in order;
     * {@code baseHeads} the base trunk with each expert's head at every point (null if not merged);
     * {@code heads} how the experts' heads were trained ({@code new}, {@code probe}, or "" if unknown).
     */
    public record ModeResult(String mode, long fullBudget, List<String> tasks, List<Long> seeds, List<Long> lengths,
                             List<MethodResult> methods, MethodResult baseHeads, PointResult linearProbe, List<TaskStop> stops,
                             Compute compute, List<TaskSignals> signals, String autoRule, List<String> rules, String heads) {
        /** The method named {@code name}, or null. */
        public MethodResult method(String name) {
            return methods.stream().filter(m -> m.method().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * One merge method in one mode; {@code rules} holds its merges at each replayed rule's stops;
     * {@code bestLength} is the fixed length with the highest mean merged accuracy (chosen on test).
     */
    public record MethodResult(String method, PointResult auto, Map<String, PointResult> rules, PointResult full,
                               NavigableMap<Long, PointResult> byLength, long bestLength) {
        public PointResult best() {
            return byLength.get(bestLength);
        }
    }

    /**
     * The merges of one method at one point (a rule's stops, a fixed length, or the baseline) over seeds:
     * mean-over-tasks merged accuracy (absolute and normalized) and expert accuracy, and per task; the
     * merged step and (at stops) the decided step per task; the chosen lambda and how many of the
     * merges chose the lowest or highest lambda their search tried ({@code lambdaAtEdge}).
     */
    public record PointResult(String point, Stat merged, Stat normalized, Stat expert, Map<String, Stat> mergedByTask,
                              Map<String, Stat> normalizedByTask, Map<String, Stat> expertByTask,
                              Map<String, Difficulty> difficultyByTask, Map<String, Stat> stepByTask,
                              Map<String, Stat> decidedByTask, Stat lambda, int lambdaAtEdge, List<String> mergeIds) {
        /** The share of the budget the stops used: mean decided step over tasks and seeds / {@code budget}; NaN without stops. */
        public double budgetUsed(long budget) {
            List<Double> steps = decidedByTask.values().stream().flatMap(st -> st.values().stream()).toList();
            return steps.isEmpty() || budget <= 0 ? Double.NaN
                    : steps.stream().mapToDouble(Double::doubleValue).average().orElseThrow() / budget;
        }
    }

    /** Accuracy on a task's early-easy and early-hard training examples, expert and merged, over seeds. */
    public record Difficulty(Stat expertEasy, Stat expertHard, Stat mergedEasy, Stat mergedHard) {
    }

    /** Where one run stopped (its first decision; an end-of-run decision when the policy never fired) and why. */
    public record TaskStop(String task, long seed, String pass, String runId, long decidedAtStep, Long checkpointStep,
                           String checkpointSha256, String policy, int policyVersion, String decisionMode, String reason,
                           String decisionId, Long finalStep, String endReason) {
    }

    /** Steps the enforce pass trained against its budget, summed over its runs; null in a mode without one. */
    public record Compute(int runs, long stepsTrained, long budgetSteps, StopLag stopLag) {
        public double savedPercent() {
            return budgetSteps == 0 ? Double.NaN : 100.0 * (budgetSteps - stepsTrained) / budgetSteps;
        }
    }

    /**
     * How fast the enforce pass's decisions stopped their trainers, from the runs' ends: per run
     * stopped by a decision, the wall-clock milliseconds from the decided step's events going out to
     * the training loop stopping, and the steps trained after the decided step.
     *
     * @param stopped runs whose end names a decided step
     * @param timed of those, runs whose end carries a latency
     */
    public record StopLag(int stopped, int timed, double p50Ms, double p99Ms, double maxMs, double p50Steps, long maxSteps) {
        /** From each stopped run's latency (NaN: not measured) and steps past its decided step. */
        static StopLag of(List<Double> latenciesMs, List<Long> stepsPast) {
            double[] ms = latenciesMs.stream().filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
            double[] steps = stepsPast.stream().mapToDouble(Long::doubleValue).sorted().toArray();
            return new StopLag(stepsPast.size(), ms.length, percentile(ms, 50), percentile(ms, 99),
                    ms.length == 0 ? Double.NaN : ms[ms.length - 1], percentile(steps, 50),
                    stepsPast.stream().mapToLong(Long::longValue).max().orElse(0));
        }

        /** Nearest-rank percentile of sorted values; NaN for none. */
        static double percentile(double[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /** A run's signals by step (learned fraction and hard-set share from its decisions, losses from its metrics). */
    public record TaskSignals(String task, long seed, String runId, Map<String, NavigableMap<Long, Double>> series,
                              TaskStop stop) {
    }
}
