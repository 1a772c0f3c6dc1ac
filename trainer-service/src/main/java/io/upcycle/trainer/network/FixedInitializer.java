package io.upcycle.trainer.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import io.upcycle.model.checkpoint.Tensor;
import java.util.Arrays;

/** A DJL initializer that sets a parameter to exactly the values of a Java-side tensor. */
final class FixedInitializer {
    private FixedInitializer() {
    }

    /** Refuses (naming the tensor) a parameter whose shape differs from the tensor's. */
    static Initializer of(Tensor tensor) {
        return (NDManager manager, Shape shape, DataType type) -> {
            if (!Arrays.equals(shape.getShape(), tensor.shape())) {
                throw new IllegalStateException("tensor '" + tensor.name() + "' has shape " + Arrays.toString(tensor.shape())
                        + " but the layer wants " + shape);
            }
            // A copy that owns its memory: the created array may share the Java-side buffer.
            try (NDArray created = manager.create(tensor.data(), shape)) {
                return created.duplicate();
            }
        };
    }
}
