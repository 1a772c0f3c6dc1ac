package io.upcycle.merger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.ChunkedMerge;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges one tensor of a base and its experts, read from safetensors files chunk by chunk with
 * positional reads, on the manager's engine, handing each merged chunk to a sink in order: with a
 * {@link ChunkedMerge} method the memory held is about (experts + 2) chunks of Java arrays plus
 * their engine copies, whatever the tensor size. The merged values equal {@link MergeMethod#merge}
 * on the whole tensor. A method that is not a {@code ChunkedMerge} is merged whole (one chunk).
 */
public final class ChunkedTensorMerge {
    /** Default chunk: 256 Ki values (1 MiB of float32) per expert. */
    public static final int DEFAULT_CHUNK = 1 << 18;

    /** Where merged values go, in order; {@code values} may be reused after the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(float[] values, int count);
    }

    private final NDManager manager;
    private final MergeMethod method;
    private final MergeParameters parameters;
    private final int chunkElements;

    public ChunkedTensorMerge(NDManager manager, MergeMethod method, MergeParameters parameters, int chunkElements) {
        if (chunkElements <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, was " + chunkElements);
        }
        this.manager = manager;
        this.method = method;
        this.parameters = parameters;
        this.chunkElements = chunkElements;
    }

    /** Merges tensor {@code name} (every file must hold it with the same shape) into {@code sink}. */
    public void merge(String name, SafetensorsFile base, List<SafetensorsFile> experts, Sink sink) {
        if (!(method instanceof ChunkedMerge chunked)) {
            mergeWhole(name, base, experts, sink);
            return;
        }
        long elements = base.elementCount(name);
        int chunk = (int) Math.max(1, Math.min(chunkElements, elements));
        ChunkedMerge.Source source = (expert, from, into, count) ->
                (expert < 0 ? base : experts.get(expert)).readRange(name, from, into, count);
        float[] baseChunk = new float[chunk];
        float[] expertChunk = new float[chunk];
        try (NDManager tensorScope = manager.newSubManager()) {
            ChunkedMerge.TensorMerge merge = chunked.begin(name, elements, experts.size(), source, chunk, tensorScope, parameters);
            for (long from = 0; from < elements; from += chunk) {
                int count = (int) Math.min(chunk, elements - from);
                try (NDManager scope = tensorScope.newSubManager()) {
                    source.read(-1, from, baseChunk, count);
                    NDArray baseArray = scope.create(prefix(baseChunk, count), new Shape(count));
                    List<NDArray> expertArrays = new ArrayList<>(experts.size());
                    for (int t = 0; t < experts.size(); t++) {
                        source.read(t, from, expertChunk, count);
                        expertArrays.add(scope.create(prefix(expertChunk, count), new Shape(count)));
                    }
                    float[] merged = merge.next(baseArray, expertArrays).toFloatArray();
                    sink.accept(merged, count);
                }
            }
        }
    }

    private void mergeWhole(String name, SafetensorsFile base, List<SafetensorsFile> experts, Sink sink) {
        try (NDManager scope = manager.newSubManager()) {
            Tensor baseTensor = base.read(name);
            NDArray baseArray = scope.create(baseTensor.data(), new Shape(baseTensor.shape()));
            List<NDArray> expertArrays = new ArrayList<>(experts.size());
            for (SafetensorsFile expert : experts) {
                expertArrays.add(scope.create(expert.read(name).data(), new Shape(baseTensor.shape())));
            }
            float[] merged = method.merge(name, baseArray, expertArrays, parameters).toFloatArray();
            sink.accept(merged, merged.length);
        }
    }

    private static float[] prefix(float[] values, int count) {
        return count == values.length ? values : Arrays.copyOf(values, count);
    }
}
