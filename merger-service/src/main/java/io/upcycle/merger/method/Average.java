package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Plain weight averaging, {@code merged = mean_t theta_t} (a uniform "model soup", Wortsman et al.,
 * ICML 2022). It reads no lambda: its task vector is the mean of the experts' task vectors and
 * {@link #addTaskVector} adds it to the base unscaled.
 */
public final class Average implements MergeMethod, ChunkedMerge {
    /** Registry name (mergekit calls it "linear"). */
    public static final String NAME = "average";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String referenceUrl() {
        return "https://arxiv.org/abs/2203.05482";
    }

    @Override
    public List<MethodParameter> parameters() {
        return List.of();
    }

    @Override
    public boolean usesLambda() {
        return false;
    }

    @Override
    public NDArray taskVector(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        MergeMethod.checkShapes(tensor, base, experts);
        NDArray sum = experts.get(0).sub(base);
        for (int t = 1; t < experts.size(); t++) {
            sum.addi(experts.get(t)).subi(base);
        }
        return sum.divi(experts.size());
    }

    /** Elementwise: the task vector of every chunk is {@link #taskVector} of that chunk. */
    @Override
    public TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                             MergeParameters parameters) {
        return (base, chunk) -> taskVector(tensor, base, chunk, parameters);
    }

    /** {@code base + delta}: the mean task vector, unscaled. */
    @Override
    public NDArray addTaskVector(NDArray base, NDArray delta, MergeParameters parameters) {
        return base.add(delta);
    }
}
