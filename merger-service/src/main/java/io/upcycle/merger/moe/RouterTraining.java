package io.upcycle.merger.moe;

import java.util.Random;

/**
 * Trains a {@link LinearRouter} as multinomial logistic (softmax) regression: predict which task an
 * example comes from given the layer's input. Plain mini-batch SGD on the cross-entropy, seeded
 * shuffling, zero initialisation, and each example weighted by {@code n / (tasks · n_task)} so that a
 * large task's training split does not drown a small one's.
 */
public final class RouterTraining {
    static final int BATCH = 32;

    private RouterTraining() {
    }

    /**
     * Trains a softmax-regression router that sends each example to its own task's expert.
     *
     * @param inputs one layer input per example, all of one width
     * @param tasks each example's task index in {@code [0, experts)}
     */
    public static LinearRouter train(float[][] inputs, int[] tasks, int experts, int epochs, double learningRate, long seed) {
        if (inputs.length == 0 || inputs.length != tasks.length) {
            throw new IllegalArgumentException("router training needs examples with one task each, got " + inputs.length
                    + " inputs and " + tasks.length + " tasks");
        }
        int in = inputs[0].length;
        double[] classWeight = classWeights(tasks, experts);
        double[] w = new double[experts * in];
        double[] b = new double[experts];
        int[] order = new int[inputs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        double[] gradW = new double[w.length];
        double[] gradB = new double[experts];
        double[] p = new double[experts];
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += BATCH) {
                int end = Math.min(order.length, start + BATCH);
                java.util.Arrays.fill(gradW, 0);
                java.util.Arrays.fill(gradB, 0);
                for (int j = start; j < end; j++) {
                    float[] x = inputs[order[j]];
                    int label = tasks[order[j]];
                    softmax(w, b, x, p);
                    double weight = classWeight[label];
                    for (int e = 0; e < experts; e++) {
                        double diff = weight * (p[e] - (e == label ? 1 : 0));
                        gradB[e] += diff;
                        for (int i = 0; i < in; i++) {
                            gradW[e * in + i] += diff * x[i];
                        }
                    }
                }
                double step = learningRate / (end - start);
                for (int k = 0; k < w.length; k++) {
                    w[k] -= step * gradW[k];
                }
                for (int e = 0; e < experts; e++) {
                    b[e] -= step * gradB[e];
                }
            }
        }
        float[] weight = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            weight[k] = (float) w[k];
        }
        float[] bias = new float[experts];
        for (int e = 0; e < experts; e++) {
            bias[e] = (float) b[e];
        }
        return new LinearRouter(experts, in, weight, bias);
    }

    private static double[] classWeights(int[] tasks, int experts) {
        int[] counts = new int[experts];
        for (int t : tasks) {
            if (t < 0 || t >= experts) {
                throw new IllegalArgumentException("task index " + t + " outside [0, " + experts + ")");
            }
            counts[t]++;
        }
        double[] weights = new double[experts];
        for (int e = 0; e < experts; e++) {
            weights[e] = counts[e] == 0 ? 0 : (double) tasks.length / (experts * counts[e]);
        }
        return weights;
    }

    private static void softmax(double[] w, double[] b, float[] x, double[] p) {
        int in = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < p.length; e++) {
            double sum = b[e];
            for (int i = 0; i < in; i++) {
                sum += w[e * in + i] * x[i];
            }
            p[e] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int e = 0; e < p.length; e++) {
            p[e] = Math.exp(p[e] - max);
            total += p[e];
        }
        for (int e = 0; e < p.length; e++) {
            p[e] /= total;
        }
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
