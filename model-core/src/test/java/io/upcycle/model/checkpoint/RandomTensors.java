package io.upcycle.model.checkpoint;

import java.util.Random;

/** Gaussian tensor values for tests of every module (this module's test-jar): the one random fill. */
public final class RandomTensors {
    private RandomTensors() {
    }

    /** {@code n} values from N(0, 1), seeded. */
    public static float[] gaussian(int n, long seed) {
        return gaussian(new Random(seed), n, 1f);
    }

    /** {@code n} values from N(0, scale²), drawn from {@code random}. */
    public static float[] gaussian(Random random, int n, float scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    /** A tensor of {@code shape} with values from N(0, scale²), drawn from {@code random}. */
    public static Tensor gaussian(String name, long[] shape, Random random, float scale) {
        return new Tensor(name, shape, gaussian(random, (int) Tensor.elementCount(shape), scale));
    }
}
