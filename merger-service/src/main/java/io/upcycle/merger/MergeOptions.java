package io.upcycle.merger;

import io.upcycle.merger.method.TrimScope;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How a merge is tuned and scored: the lambdas tried ({@link LambdaGrid}: the one with the best mean
 * validation accuracy wins; ties go to the smaller one), the evaluation batch size and the seed recorded for
 * methods that draw random masks, the density of sparsifying methods (empty: the method's default),
 * the trim scope of magnitude-trimming methods (null: the method's default, {@code tensor}),
 * and how the evaluation splits training examples by early difficulty.
 */
public record MergeOptions(LambdaGrid lambdas, int evalBatchSize, long seed, OptionalDouble density,
                           DifficultyOptions difficulty, TrimScope trimScope) {

    public MergeOptions {
        if (lambdas == null) {
            throw new IllegalArgumentException("a lambda grid is required");
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

    /** Options with each magnitude-trimming method's default trim scope. */
    public MergeOptions(LambdaGrid lambdas, int evalBatchSize, long seed, OptionalDouble density, DifficultyOptions difficulty) {
        this(lambdas, evalBatchSize, seed, density, difficulty, null);
    }

    /** These options with trim scope {@code scope} (null: each method's default). */
    public MergeOptions withTrimScope(TrimScope scope) {
        return new MergeOptions(lambdas, evalBatchSize, seed, density, difficulty, scope);
    }

    /** Options with the default difficulty split. */
    public MergeOptions(LambdaGrid lambdas, int evalBatchSize, long seed, OptionalDouble density) {
        this(lambdas, evalBatchSize, seed, density, DifficultyOptions.defaults());
    }

    /** Options trying exactly {@code lambdas}, with the default difficulty split. */
    public MergeOptions(List<Double> lambdas, int evalBatchSize, long seed, OptionalDouble density, DifficultyOptions difficulty) {
        this(LambdaGrid.fixed(lambdas), evalBatchSize, seed, density, difficulty);
    }

    /** Options trying exactly {@code lambdas}, with the default difficulty split. */
    public MergeOptions(List<Double> lambdas, int evalBatchSize, long seed, OptionalDouble density) {
        this(LambdaGrid.fixed(lambdas), evalBatchSize, seed, density, DifficultyOptions.defaults());
    }

    /** Options trying exactly {@code lambdas}, with each method's default density. */
    public MergeOptions(List<Double> lambdas, int evalBatchSize, long seed) {
        this(lambdas, evalBatchSize, seed, OptionalDouble.empty());
    }

    /** The adaptive lambda search, batches of 2048, seed 0, each method's default density. */
    public static MergeOptions defaults() {
        return new MergeOptions(LambdaGrid.adaptive(), 2048, 0L, OptionalDouble.empty());
    }
}
