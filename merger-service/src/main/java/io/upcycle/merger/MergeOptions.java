package io.upcycle.merger;

import java.util.List;
import java.util.OptionalDouble;

/**
 * How a merge is tuned and scored: the lambdas tried (the one with the best mean validation
 * accuracy wins; ties go to the earlier one), the evaluation batch size and the seed recorded for
 * methods that draw random masks, the density of sparsifying methods (empty: the method's default),
 * and how the evaluation splits training examples by early difficulty.
 */
public record MergeOptions(List<Double> lambdas, int evalBatchSize, long seed, OptionalDouble density,
                           DifficultyOptions difficulty) {
    /** The default grid: 0.1, 0.2, 0.3, 0.5, 0.7, 1.0 (two experts on our tasks pick 0.3 or less). */
    public static final List<Double> DEFAULT_LAMBDAS = List.of(0.1, 0.2, 0.3, 0.5, 0.7, 1.0);

    public MergeOptions {
        lambdas = List.copyOf(lambdas);
        if (lambdas.isEmpty()) {
            throw new IllegalArgumentException("at least one lambda is needed");
        }
        for (double lambda : lambdas) {
            if (!Double.isFinite(lambda) || lambda < 0) {
                throw new IllegalArgumentException("lambda must be a finite number >= 0, was " + lambda);
            }
        }
        if (density.isPresent() && !(density.getAsDouble() >= 0 && density.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("density must be in [0, 1], was " + density.getAsDouble());
        }
        if (evalBatchSize <= 0) {
            throw new IllegalArgumentException("evaluation batch size must be > 0, was " + evalBatchSize);
        }
        if (difficulty == null) {
            throw new IllegalArgumentException("difficulty options are required");
        }
    }

    /** Options with the default difficulty split. */
    public MergeOptions(List<Double> lambdas, int evalBatchSize, long seed, OptionalDouble density) {
        this(lambdas, evalBatchSize, seed, density, DifficultyOptions.defaults());
    }

    /** Options with each method's default density. */
    public MergeOptions(List<Double> lambdas, int evalBatchSize, long seed) {
        this(lambdas, evalBatchSize, seed, OptionalDouble.empty());
    }

    public static MergeOptions defaults() {
        return new MergeOptions(DEFAULT_LAMBDAS, 2048, 0L);
    }
}
