package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random LoRA adapters of any rank, alpha and targets, and their dense update {@code (alpha/r) B A} in plain loops. */
final class RandomAdapters {
    private RandomAdapters() {
    }

    static LoraAdapter adapter(long seed, int rank, float alpha, List<String> targets, String baseSha256, int classes) {
        Random random = new Random(seed);
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (String target : targets) {
            a.put(target, random(random, 0.2f, rank, LoraLayout.inDim(target)));
            b.put(target, random(random, 0.2f, LoraLayout.outDim(target), rank));
        }
        return new LoraAdapter(rank, alpha, targets, baseSha256, a, b, random(random, 1f, classes, ExpertLayout.HIDDEN_DIM),
                random(random, 1f, classes));
    }

    /** {@code (alpha / r) B A} of one target, {@code [out * in]} row-major, in double. */
    static double[] delta(LoraAdapter adapter, String target) {
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

    private static Tensor random(Random random, float scale, long... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * scale;
        }
        return new Tensor("t", shape, data);
    }
}
