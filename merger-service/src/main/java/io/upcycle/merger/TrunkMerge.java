package io.upcycle.merger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges tensor by tensor: for each name, reads the base's and every expert's version, combines
 * them on the manager's engine inside a sub-manager that is closed before the next tensor, so
 * that native memory stays near (experts + 2) x the largest tensor. Experts are {@link ExpertTensors},
 * so a LoRA adapter takes part as its dense expert (its {@code ΔW = (alpha/r) B A}).
 */
final class TrunkMerge {
    private TrunkMerge() {
    }

    /** The combined task vector of each named tensor, as Java tensors. */
    static Map<String, Tensor> taskVectors(NDManager manager, MergeMethod method, SafetensorsFile base,
                                           List<ExpertTensors> experts, List<String> names, MergeParameters parameters) {
        Map<String, Tensor> deltas = new LinkedHashMap<>();
        for (String name : names) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray baseArray = toArray(scope, base.read(name));
                List<NDArray> expertArrays = new ArrayList<>(experts.size());
                for (ExpertTensors expert : experts) {
                    expertArrays.add(toArray(scope, expert.read(name)));
                }
                NDArray delta = method.taskVector(name, baseArray, expertArrays, parameters);
                deltas.put(name, new Tensor(name, delta.getShape().getShape(), delta.toFloatArray()));
            }
        }
        return deltas;
    }

    /** {@code base + lambda * delta} for each tensor of {@code deltas}. */
    static Map<String, Tensor> apply(NDManager manager, Map<String, Tensor> base, Map<String, Tensor> deltas, double lambda) {
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : deltas.entrySet()) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray baseArray = toArray(scope, base.get(entry.getKey()));
                NDArray result = baseArray.add(toArray(scope, entry.getValue()).muli(lambda));
                merged.put(entry.getKey(), new Tensor(entry.getKey(), result.getShape().getShape(), result.toFloatArray()));
            }
        }
        return merged;
    }

    private static NDArray toArray(NDManager manager, Tensor tensor) {
        return manager.create(tensor.data(), new Shape(tensor.shape()));
    }
}
