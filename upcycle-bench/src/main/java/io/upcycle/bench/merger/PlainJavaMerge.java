package io.upcycle.bench.merger;

import io.upcycle.merger.method.Consensus;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.Sparsification;
import java.util.List;
import java.util.Map;

/**
 * Task arithmetic, TIES and DARE-TIES in plain Java loops on float arrays, one thread: the
 * benchmark's yardstick for the engines. Sparsification is the merger's own Java code
 * ({@link Sparsification}: quickselect threshold, seeded DARE masks), so masks and thresholds are
 * those of the engine runs; the consensus step is re-written here as loops, in the same order of
 * float operations as {@link Consensus}, so results should agree to the last bit or near it.
 */
final class PlainJavaMerge {
    /** The sparsification and consensus of each benchmarked method (as the merger registers them). */
    private static final Map<String, Sparsification> SPARSIFICATION = Map.of(
            "task_arithmetic", Sparsification.NONE, "ties", Sparsification.MAGNITUDE, "dare_ties", Sparsification.RANDOM);
    private static final Map<String, Consensus> CONSENSUS = Map.of(
            "task_arithmetic", Consensus.NONE, "ties", Consensus.SIGN_ELECTION, "dare_ties", Consensus.SIGN_ELECTION);

    private PlainJavaMerge() {
    }

    /** The methods this class implements. */
    static boolean supports(String method) {
        return SPARSIFICATION.containsKey(method);
    }

    /**
     * {@code base + lambda * combine(sparsify(expert_t - base))} for one tensor. The expert arrays are
     * overwritten with their task vectors; {@code parameters} must be resolved (density filled in).
     */
    static float[] merge(String method, String tensor, float[] base, List<float[]> experts, MergeParameters parameters) {
        Sparsification sparsification = SPARSIFICATION.get(method);
        if (sparsification == null) {
            throw new IllegalArgumentException("plain-Java merge knows " + SPARSIFICATION.keySet() + ", not '" + method + "'");
        }
        double density = parameters.density().orElse(1.0);
        float[][] taus = new float[experts.size()][];
        for (int t = 0; t < experts.size(); t++) {
            float[] tau = experts.get(t);
            for (int i = 0; i < tau.length; i++) {
                tau[i] -= base[i];
            }
            taus[t] = sparsification == Sparsification.NONE ? tau : sparsification.apply(tau, density, parameters.seed(), tensor, t);
        }
        float[] delta = CONSENSUS.get(method) == Consensus.NONE ? sum(taus) : disjointMean(taus);
        float lambda = (float) parameters.lambda();
        for (int i = 0; i < delta.length; i++) {
            delta[i] = base[i] + delta[i] * lambda;
        }
        return delta;
    }

    static float[] sum(float[][] taus) {
        float[] sum = taus[0].clone();
        for (int t = 1; t < taus.length; t++) {
            float[] tau = taus[t];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += tau[i];
            }
        }
        return sum;
    }

    /**
     * TIES: the elected sign is that of the summed task vectors (+1 where the sum is 0); the result is
     * the mean of the entries with that sign (0 where none has it; zeros never count).
     */
    static float[] disjointMean(float[][] taus) {
        float[] elected = sum(taus);
        float[] mean = new float[elected.length];
        for (int i = 0; i < mean.length; i++) {
            float sign = elected[i] < 0 ? -1f : 1f;
            float total = 0;
            int count = 0;
            for (float[] tau : taus) {
                if (Math.signum(tau[i]) == sign) {
                    total += tau[i];
                    count++;
                }
            }
            mean[i] = total / Math.max(count, 1);
        }
        return mean;
    }
}
