package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Task arithmetic: {@code merged = base + lambda * sum_t (theta_t - base)}, the sum of the
 * experts' task vectors, scaled (Ilharco et al., Editing Models with Task Arithmetic, ICLR 2023).
 *
 * <p>The sum is accumulated in place, so besides the inputs only one extra tensor is alive.
 */
public final class TaskArithmetic implements MergeMethod {
    /** Registry name (mergekit's name for the same method). */
    public static final String NAME = "task_arithmetic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String referenceUrl() {
        return "https://arxiv.org/abs/2212.04089";
    }

    @Override
    public NDArray taskVector(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        MergeMethod.checkShapes(tensor, base, experts);
        NDArray sum = experts.get(0).sub(base);
        for (int t = 1; t < experts.size(); t++) {
            sum.addi(experts.get(t)).subi(base);
        }
        return sum;
    }
}
