package io.upcycle.trainer.network;

import io.upcycle.model.ExpertLayout;

/**
 * The per-feature standardization {@code x' = (x - mean) / std} that is part of the base: fitted
 * once on the base's pretraining split and carried unchanged into every expert checkpoint.
 *
 * <p>{@code std} is floored at {@link #MIN_STD} when fitted, and the floored value is what gets
 * stored, so that anyone applying the stored tensors computes exactly what the trainer did.
 */
public record InputStandardization(float[] mean, float[] std) {
    /** Smallest standard deviation kept; constant features would otherwise divide by zero. */
    public static final float MIN_STD = 1e-6f;

    public InputStandardization {
        if (mean.length != ExpertLayout.INPUT_DIM || std.length != ExpertLayout.INPUT_DIM) {
            throw new IllegalArgumentException("standardization needs " + ExpertLayout.INPUT_DIM + " means and stds, got "
                    + mean.length + " and " + std.length);
        }
    }

    /** Mean and (population) standard deviation of each column of a row-major {@code rows x dim} matrix. */
    public static InputStandardization fit(float[] features, int dim) {
        int rows = features.length / dim;
        if (rows == 0 || dim != ExpertLayout.INPUT_DIM) {
            throw new IllegalArgumentException("cannot fit a standardization on " + rows + " rows of width " + dim);
        }
        double[] sum = new double[dim];
        double[] sumSquares = new double[dim];
        for (int r = 0; r < rows; r++) {
            int offset = r * dim;
            for (int c = 0; c < dim; c++) {
                double v = features[offset + c];
                sum[c] += v;
                sumSquares[c] += v * v;
            }
        }
        float[] mean = new float[dim];
        float[] std = new float[dim];
        for (int c = 0; c < dim; c++) {
            double m = sum[c] / rows;
            double variance = Math.max(0.0, sumSquares[c] / rows - m * m);
            mean[c] = (float) m;
            std[c] = Math.max(MIN_STD, (float) Math.sqrt(variance));
        }
        return new InputStandardization(mean, std);
    }

    /** A standardized copy of a row-major feature matrix, in float32 exactly as {@code (x - mean) / std}. */
    public float[] apply(float[] features) {
        int dim = mean.length;
        float[] out = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            int c = i % dim;
            out[i] = (features[i] - mean[c]) / std[c];
        }
        return out;
    }
}
