package io.upcycle.model.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 tensor held in memory: the unit that checkpoints store and merges combine.
 *
 * <p>{@code data} is row-major and its length must equal the product of {@code shape}; a scalar
 * has the empty shape and one value. The arrays are not copied (tensors can be large), so callers
 * must not change them after handing them over.
 */
public record Tensor(String name, long[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + count + " values) but " + data.length + " values of data");
        }
    }

    /** Convenience factory: {@code Tensor.of("w", data, 2, 3)}. */
    public static Tensor of(String name, float[] data, long... shape) {
        return new Tensor(name, shape, data);
    }

    /** Number of values a tensor of {@code shape} holds; refuses negative dimensions and overflow. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** A tensor with the same shape and data under another name. */
    public Tensor renamed(String newName) {
        return new Tensor(newName, shape, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
