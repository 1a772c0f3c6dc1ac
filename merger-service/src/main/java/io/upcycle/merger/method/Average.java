package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Plain weight averaging, {@code merged = mean_t theta_t} (a uniform "model soup", Wortsman et al.,
 * ICML 2022). It reads no lambda: its task vector is the mean of the experts' task vectors and
 * {@link #merge} adds it to the base unscaled.
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

    /** Elementwise: every chunk is merged as {@link #merge} merges a whole tensor. */
    @Override
    public TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                             NDManager manager, MergeParameters parameters) {
        return (base, chunk) -> merge(tensor, base, chunk, parameters);
    }

    @Override
    public NDArray merge(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        try (NDArray delta = taskVector(tensor, base, experts, parameters)) {
            return base.add(delta);
        }
    }
}
