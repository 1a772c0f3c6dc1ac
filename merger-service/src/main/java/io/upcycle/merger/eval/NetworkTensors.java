package io.upcycle.merger.eval;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one expert network as {@link ExpertLayout} names them (input standardization,
 * trunk, head), checked for consistent shapes so that evaluation fails with a readable message
 * rather than inside a matrix product. Sizes are read from the tensors, so tiny test networks work.
 * The evaluator's read-only view; the trainer's {@code ExpertNetwork} is the trainable DJL model.
 */
public final class NetworkTensors {
    private static final List<String> ALL = List.of(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD,
            ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS,
            ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS);

    private final Map<String, Tensor> tensors;

    public NetworkTensors(Map<String, Tensor> tensors) {
        for (String name : ALL) {
            if (!tensors.containsKey(name)) {
                throw new IllegalArgumentException("expert network lacks tensor '" + name + "'; it has " + tensors.keySet());
            }
        }
        this.tensors = Map.copyOf(tensors);
        long dim = dims(ExpertLayout.INPUT_MEAN)[0];
        long hidden0 = dims(ExpertLayout.TRUNK0_WEIGHT)[0];
        long hidden1 = dims(ExpertLayout.TRUNK1_WEIGHT)[0];
        long classes = dims(ExpertLayout.HEAD_WEIGHT)[0];
        expect(ExpertLayout.INPUT_STD, dim);
        expect(ExpertLayout.TRUNK0_WEIGHT, hidden0, dim);
        expect(ExpertLayout.TRUNK0_BIAS, hidden0);
        expect(ExpertLayout.TRUNK1_WEIGHT, hidden1, hidden0);
        expect(ExpertLayout.TRUNK1_BIAS, hidden1);
        expect(ExpertLayout.HEAD_WEIGHT, classes, hidden1);
        expect(ExpertLayout.HEAD_BIAS, classes);
    }

    /** The tensor of that layout name. */
    public Tensor get(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("expert network has no tensor '" + name + "'");
        }
        return tensor;
    }

    /** Width of the input embedding. */
    public int inputDim() {
        return (int) dims(ExpertLayout.INPUT_MEAN)[0];
    }

    /** Number of classes of the head. */
    public int classes() {
        return (int) dims(ExpertLayout.HEAD_WEIGHT)[0];
    }

    /** The same head and standardization on another trunk (e.g. the merged one). */
    public NetworkTensors withTrunk(Map<String, Tensor> trunk) {
        Map<String, Tensor> copy = new HashMap<>(tensors);
        for (String name : ExpertLayout.TRUNK) {
            Tensor replacement = trunk.get(name);
            if (replacement == null) {
                throw new IllegalArgumentException("replacement trunk lacks tensor '" + name + "'");
            }
            copy.put(name, replacement);
        }
        return new NetworkTensors(copy);
    }

    private long[] dims(String name) {
        return tensors.get(name).shape();
    }

    private void expect(String name, long... shape) {
        if (!Arrays.equals(dims(name), shape)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(dims(name))
                    + " but the network needs " + Arrays.toString(shape));
        }
    }
}
