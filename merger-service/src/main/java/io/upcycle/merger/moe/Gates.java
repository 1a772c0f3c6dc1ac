package io.upcycle.merger.moe;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Top-k gating: the {@code k} experts with the largest router logits (ties go to the lower index),
 * weighted by a softmax over the selected logits only, so the weights of the chosen experts sum to
 * one (as PEFT's Arrow router and Mixtral-style MoE layers renormalize).
 *
 * @param experts chosen expert indices, best first
 * @param weights their gate values, same order, summing to 1
 */
public record Gates(int[] experts, double[] weights) {

    /** The top-{@code k} gates of {@code logits}. */
    public static Gates topK(float[] logits, int k) {
        if (k <= 0 || k > logits.length) {
            throw new IllegalArgumentException("top_k must be in [1, " + logits.length + "] (the number of experts), was " + k);
        }
        int[] order = IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        double max = logits[order[0]];
        double[] weights = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            weights[j] = Math.exp(logits[order[j]] - max);
            sum += weights[j];
        }
        for (int j = 0; j < k; j++) {
            weights[j] /= sum;
        }
        return new Gates(order, weights);
    }

    /** The best expert. */
    public int top1() {
        return experts[0];
    }

    @Override
    public String toString() {
        return "Gates" + Arrays.toString(experts) + Arrays.toString(weights);
    }
}
