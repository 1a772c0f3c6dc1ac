package io.upcycle.merger;

import io.upcycle.merger.eval.ExpertNetwork;
import io.upcycle.merger.eval.Evaluator;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.data.TaskData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Picks the merge's lambda by mean validation accuracy over the plan's tasks, each task scored
 * with the merged trunk and its own head and standardization. Test splits are never looked at here.
 */
final class LambdaSearch {
    /** One expert's standardization and head (its trunk is replaced by the merged one) and its task's data. */
    record Candidate(ExpertNetwork network, TaskData data) {
    }

    /** The chosen lambda and the mean validation accuracy of every lambda tried. */
    record Choice(double lambda, Map<Double, Double> meanValidation) {
    }

    private LambdaSearch() {
    }

    /** Tries every lambda of {@code lambdas} on the trunk {@code trunkAt} gives for it. */
    static Choice choose(Evaluator evaluator, DoubleFunction<Map<String, Tensor>> trunkAt, List<Candidate> candidates,
                         List<Double> lambdas) {
        Map<Double, Double> means = new LinkedHashMap<>();
        double bestLambda = lambdas.get(0);
        double bestMean = Double.NEGATIVE_INFINITY;
        for (double lambda : lambdas) {
            Map<String, Tensor> trunk = trunkAt.apply(lambda);
            double sum = 0;
            for (Candidate candidate : candidates) {
                sum += evaluator.accuracy(candidate.network().withTrunk(trunk), candidate.data().validation()).value();
            }
            double mean = sum / candidates.size();
            means.put(lambda, mean);
            if (mean > bestMean) {
                bestMean = mean;
                bestLambda = lambda;
            }
        }
        return new Choice(bestLambda, means);
    }
}
