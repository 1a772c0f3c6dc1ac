package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;

/**
 * One way of merging experts fine-tuned from a shared base, applied one tensor at a time.
 *
 * <p>The methods of the task-arithmetic family (task arithmetic, TIES, DARE) all combine the
 * experts' task vectors {@code tau_t = theta_t - base} into one {@code delta} and return
 * {@code base + lambda * delta}; {@link #taskVector} is the combination step, so a caller that
 * tries several lambdas computes it once. Arrays passed in belong to the caller and must not be
 * closed; results are attached to the manager of {@code base}.
 */
public interface MergeMethod {

    /** Registry name, e.g. {@code task_arithmetic}. */
    String name();

    /** Where the method is described (paper). */
    String referenceUrl();

    /** The parameters this method reads, with their defaults in this method. */
    default List<MethodParameter> parameters() {
        return List.of(new MethodParameter("lambda", "1.0", "scaling of the combined task vector"));
    }

    /** Whether this method reads the parameter named {@code parameter} (one of {@link #parameters()}). */
    default boolean reads(String parameter) {
        return parameters().stream().anyMatch(p -> p.name().equals(parameter));
    }

    /** Whether {@code lambda} changes the result (a lambda search is pointless otherwise). */
    default boolean usesLambda() {
        return true;
    }

    /** {@code given} with this method's defaults filled in, so that cards record what was used. */
    default MergeParameters resolve(MergeParameters given) {
        return given;
    }

    /** The combined task vector {@code delta} of one tensor (same shape as {@code base}). */
    NDArray taskVector(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters);

    /**
     * The merged values from the base and the combined task vector of the same values:
     * {@code base + lambda * delta}. {@code delta} may be changed in place (the caller closes it).
     * The one place where a method's task vector becomes its merge, whole tensor or chunk.
     */
    default NDArray addTaskVector(NDArray base, NDArray delta, MergeParameters parameters) {
        return base.add(delta.muli(parameters.lambda()));
    }

    /** The merged tensor: {@link #addTaskVector} of {@link #taskVector}. */
    default NDArray merge(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        try (NDArray delta = taskVector(tensor, base, experts, parameters)) {
            return addTaskVector(base, delta, parameters);
        }
    }

    /** Refuses an empty expert list or an expert whose shape differs from the base, naming the tensor and both shapes. */
    static void checkShapes(String tensor, NDArray base, List<NDArray> experts) {
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("no experts to merge for tensor '" + tensor + "'");
        }
        for (int i = 0; i < experts.size(); i++) {
            if (!experts.get(i).getShape().equals(base.getShape())) {
                throw new IllegalArgumentException("tensor '" + tensor + "' of expert " + i + " has shape "
                        + Arrays.toString(experts.get(i).getShape().getShape()) + " but the base has "
                        + Arrays.toString(base.getShape().getShape()));
            }
        }
    }
}
