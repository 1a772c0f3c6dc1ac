package io.upcycle.merger;

import io.upcycle.merger.eval.Evaluator;
import io.upcycle.merger.eval.NetworkTensors;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * Picks the merge's lambda by mean validation accuracy over the plan's tasks, each task scored
 * with the merged trunk and its own head and standardization, searching as its {@link LambdaGrid}
 * says. Ties go to the smaller lambda. Test splits are never looked at here.
 */
final class LambdaSearch {
    /** One expert's standardization and head (its trunk is replaced by the merged one) and its task's data. */
    record Candidate(NetworkTensors network, TaskData data) {
    }

    /** Where the chosen lambda lies among those tried. */
    enum Edge {
        /** Some lambda tried below and above it scored lower: the optimum was bracketed. */
        NONE,
        /** It is the lowest lambda tried: a lower one might do better. */
        LOW,
        /** It is the highest lambda tried: a higher one might do better. */
        HIGH;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The chosen lambda, the mean validation accuracy of every lambda tried (ascending), and whether it sits at an edge. */
    record Choice(double lambda, NavigableMap<Double, Double> meanValidation, Edge edge) {
    }

    private LambdaSearch() {
    }

    /** Searches {@code grid} on the trunk {@code trunkAt} gives for each lambda. */
    static Choice choose(Evaluator evaluator, DoubleFunction<Map<String, Tensor>> trunkAt, List<Candidate> candidates,
                         LambdaGrid grid) {
        return search(lambda -> meanValidation(evaluator, trunkAt.apply(lambda), candidates), grid);
    }

    /** The search itself, on any score of lambda (higher is better); pure, so it is tested on plain functions. */
    static Choice search(DoubleUnaryOperator score, LambdaGrid grid) {
        NavigableMap<Double, Double> tried = new TreeMap<>();
        grid.start().forEach(lambda -> tried.put(lambda, score.applyAsDouble(lambda)));
        while (true) {
            double best = best(tried);
            double low = tried.firstKey() / 2;
            double high = tried.lastKey() * 2;
            if (best == tried.firstKey() && low >= grid.min() && low > 0 && !tried.containsKey(low)) {
                tried.put(low, score.applyAsDouble(low));
            } else if (best == tried.lastKey() && high <= grid.max() && !tried.containsKey(high)) {
                tried.put(high, score.applyAsDouble(high));
            } else {
                break;
            }
        }
        double factor = 2;
        for (int r = 0; r < grid.refinements(); r++) {
            factor = Math.sqrt(factor);
            double best = best(tried);
            for (double lambda : new double[] {best / factor, best * factor}) {
                if (lambda >= grid.min() && lambda <= grid.max() && lambda > 0 && !tried.containsKey(lambda)) {
                    tried.put(lambda, score.applyAsDouble(lambda));
                }
            }
        }
        double best = best(tried);
        Edge edge = tried.size() == 1 ? Edge.NONE : best == tried.firstKey() ? Edge.LOW
                : best == tried.lastKey() ? Edge.HIGH : Edge.NONE;
        return new Choice(best, tried, edge);
    }

    /** The lambda with the highest score; the smallest one among equals. */
    private static double best(NavigableMap<Double, Double> tried) {
        double bestLambda = tried.firstKey();
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Double, Double> e : tried.entrySet()) {
            if (e.getValue() > bestScore) {
                bestScore = e.getValue();
                bestLambda = e.getKey();
            }
        }
        return bestLambda;
    }

    private static double meanValidation(Evaluator evaluator, Map<String, Tensor> trunk, List<Candidate> candidates) {
        double sum = 0;
        for (Candidate candidate : candidates) {
            sum += evaluator.accuracy(candidate.network().withTrunk(trunk), candidate.data().validation()).value();
        }
        return sum / candidates.size();
    }
}
