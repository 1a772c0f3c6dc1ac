package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.RandomTensors;
import io.upcycle.model.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random LoRA adapters of any rank, alpha and targets, and their dense update {@code (alpha/r) B A} in plain loops. */
public final class RandomAdapters {
    private RandomAdapters() {
    }

    public static LoraAdapter adapter(long seed, int rank, float alpha, List<String> targets, String baseSha256, int classes) {
        Random random = new Random(seed);
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (String target : targets) {
            a.put(target, RandomTensors.gaussian("t", new long[] {rank, LoraLayout.inDim(target)}, random, 0.2f));
            b.put(target, RandomTensors.gaussian("t", new long[] {LoraLayout.outDim(target), rank}, random, 0.2f));
        }
        return new LoraAdapter(rank, alpha, targets, baseSha256, a, b,
                RandomTensors.gaussian("t", new long[] {classes, ExpertLayout.HIDDEN_DIM}, random, 1f),
                RandomTensors.gaussian("t", new long[] {classes}, random, 1f));
    }

    /** {@code (alpha / r) B A} of one target, {@code [out * in]} row-major, in double. */
    public static double[] delta(LoraAdapter adapter, String target) {
        int out = LoraLayout.outDim(target);
        int in = LoraLayout.inDim(target);
        int r = adapter.rank();
        float[] a = adapter.a().get(target).data();
        float[] b = adapter.b().get(target).data();
        double[] delta = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += (double) b[o * r + k] * a[k * in + i];
                }
                delta[o * in + i] = (double) adapter.alpha() / r * sum;
            }
        }
        return delta;
    }
}
