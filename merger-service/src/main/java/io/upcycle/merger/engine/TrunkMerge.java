package io.upcycle.merger.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trunk of a merge for the lambda search: each tensor's combined task vector, computed chunk by
 * chunk ({@link ChunkedTensorMerge#taskVector}, the same math as a merge on files) and held whole,
 * since every lambda tried needs it; and the trunk at one lambda ({@link MergeMethod#addTaskVector}).
 * Experts are {@link ExpertTensors}, so a LoRA adapter takes part as its dense expert (its
 * {@code ΔW = (alpha/r) B A}), streamed by rows like a full checkpoint.
 */
public final class TrunkMerge {
    private TrunkMerge() {
    }

    /** The combined task vector of each named tensor, as Java tensors. */
    public static Map<String, Tensor> taskVectors(ChunkedTensorMerge merger, ExpertTensors base, List<ExpertTensors> experts,
                                           List<String> names) {
        Map<String, Tensor> deltas = new LinkedHashMap<>();
        merger.prepare(names, base, experts);
        for (String name : names) {
            long[] shape = base.shape(name);
            long count = Tensor.elementCount(shape);
            if (count > Integer.MAX_VALUE - 8) {
                throw new CheckpointException("tensor '" + name + "' has " + count + " values, more than one Java array holds");
            }
            float[] values = new float[(int) count];
            int[] filled = {0};
            merger.taskVector(name, base, experts, (chunk, n) -> {
                System.arraycopy(chunk, 0, values, filled[0], n);
                filled[0] += n;
            });
            deltas.put(name, new Tensor(name, shape, values));
        }
        return deltas;
    }

    /** The merged trunk at {@code parameters}' lambda: {@code method.addTaskVector(base, delta)} for each tensor of {@code deltas}. */
    public static Map<String, Tensor> apply(NDManager manager, MergeMethod method, MergeParameters parameters, Map<String, Tensor> base,
                                     Map<String, Tensor> deltas) {
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : deltas.entrySet()) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray result = method.addTaskVector(toArray(scope, base.get(entry.getKey())), toArray(scope, entry.getValue()), parameters);
                merged.put(entry.getKey(), new Tensor(entry.getKey(), result.getShape().getShape(), result.toFloatArray()));
            }
        }
        return merged;
    }

    private static NDArray toArray(NDManager manager, Tensor tensor) {
        return manager.create(tensor.data(), new Shape(tensor.shape()));
    }
}
