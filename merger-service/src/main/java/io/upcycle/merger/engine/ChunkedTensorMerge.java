package io.upcycle.merger.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.ChunkedMerge;
import io.upcycle.merger.method.FusedMerge;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.ParallelRanges;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges one tensor of a base and its experts, read chunk by chunk with range reads, on the
 * manager's engine, handing each chunk of the result to a sink in order: the merged values
 * ({@link #merge}, for a merged file) or the combined task vector before lambda and the base are
 * applied ({@link #taskVector}, for the lambda search). With a {@link ChunkedMerge} method the
 * memory held is about (experts + 2) chunks of Java arrays plus their engine copies, whatever the
 * tensor size; the values equal {@link MergeMethod#merge} and {@link MergeMethod#taskVector} on the
 * whole tensor. A method that is not a {@code ChunkedMerge} is merged whole (one chunk). On a CPU a
 * method's {@link FusedMerge} runs instead of the engine, one chunk per core at a time, with the same
 * values: memory is then about (threads x (experts + 4)) steps of {@link FusedMerge} plus one chunk per thread.
 */
public final class ChunkedTensorMerge {
    /** Default chunk: 256 Ki values (1 MiB of float32) per expert. */
    public static final int DEFAULT_CHUNK = 1 << 18;

    /** Where the result's values go, in order; {@code values} may be reused after the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(float[] values, int count);
    }

    private final NDManager manager;
    private final MergeMethod method;
    private final MergeParameters parameters;
    private final int chunkElements;
    private final boolean fusedOnCpu;
    private final Map<String, float[]> shared = new HashMap<>();

    /**
     * Merges with {@code method} on {@code manager}'s device: on a CPU a method with a
     * {@link ChunkedMerge#fused fused} form runs it on every core without the engine, on a GPU the
     * engine does the math.
     */
    public ChunkedTensorMerge(NDManager manager, MergeMethod method, MergeParameters parameters, int chunkElements) {
        this(manager, method, parameters, chunkElements, !manager.getDevice().isGpu());
    }

    private ChunkedTensorMerge(NDManager manager, MergeMethod method, MergeParameters parameters, int chunkElements,
                               boolean fusedOnCpu) {
        if (chunkElements <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, was " + chunkElements);
        }
        this.manager = manager;
        this.method = method;
        this.parameters = parameters;
        this.chunkElements = chunkElements;
        this.fusedOnCpu = fusedOnCpu;
    }

    /** The same merge with every chunk on the engine, whatever the device (the benchmark's engine column). */
    public static ChunkedTensorMerge onEngine(NDManager manager, MergeMethod method, MergeParameters parameters,
                                              int chunkElements) {
        return new ChunkedTensorMerge(manager, method, parameters, chunkElements, false);
    }

    /**
     * Settles what the method ranks over all of {@code names} together before any of them is merged
     * (TIES with {@code trim_scope = global}: each expert's threshold over its whole task vector),
     * with passes over their chunks; nothing when the method settles everything per tensor. Call it
     * once with every tensor the merge will combine, before {@link #merge} or {@link #taskVector}.
     */
    public void prepare(List<String> names, ExpertTensors base, List<ExpertTensors> experts) {
        if (!(method instanceof ChunkedMerge chunked)) {
            return;
        }
        names.forEach(name -> checkShapes(name, base, experts));
        List<Long> elements = names.stream().map(base::elementCount).toList();
        float[] thresholds = chunked.sharedThresholds(names, elements, experts.size(), name -> source(name, base, experts),
                chunkElements, parameters);
        if (thresholds != null) {
            names.forEach(name -> shared.put(name, thresholds));
        }
    }

    /** Merges tensor {@code name} (every file must hold it with the same shape) into {@code sink}. */
    public void merge(String name, SafetensorsFile base, List<SafetensorsFile> experts, Sink sink) {
        merge(name, ExpertTensors.of(base), experts.stream().map(ExpertTensors::of).toList(), sink);
    }

    /** Merges tensor {@code name} of the experts' views (a LoRA adapter's dense rows among them) into {@code sink}. */
    public void merge(String name, ExpertTensors base, List<ExpertTensors> experts, Sink sink) {
        run(name, base, experts, false, sink);
    }

    /** The combined task vector of tensor {@code name} (before lambda and the base), into {@code sink}. */
    public void taskVector(String name, ExpertTensors base, List<ExpertTensors> experts, Sink sink) {
        run(name, base, experts, true, sink);
    }

    private void run(String name, ExpertTensors base, List<ExpertTensors> experts, boolean taskVector, Sink sink) {
        checkShapes(name, base, experts);
        if (!(method instanceof ChunkedMerge chunked)) {
            whole(name, base, experts, taskVector, sink);
            return;
        }
        long elements = base.elementCount(name);
        int chunk = (int) Math.max(1, Math.min(chunkElements, elements));
        ChunkedMerge.Source source = source(name, base, experts);
        FusedMerge fused = fusedOnCpu ? chunked.fused(name, elements, experts.size(), source, chunk, parameters, shared.get(name))
                : null;
        if (fused != null) {
            runFused(fused, source, elements, chunk, taskVector, sink);
            return;
        }
        float[] baseChunk = new float[chunk];
        float[] expertChunk = new float[chunk];
        try (NDManager tensorScope = manager.newSubManager()) {
            ChunkedMerge.TensorMerge merge = chunked.begin(name, elements, experts.size(), source, chunk, parameters,
                    shared.get(name));
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
                    NDArray delta = merge.next(baseArray, expertArrays);
                    NDArray result = taskVector ? delta : method.addTaskVector(baseArray, delta, parameters);
                    sink.accept(result.toFloatArray(), count);
                }
            }
        }
    }

    /**
     * The fused merge on every core: each round hands one chunk to each thread and then the chunks,
     * in order, to the sink.
     */
    private static void runFused(FusedMerge fused, ChunkedMerge.Source source, long elements, int chunk, boolean taskVector,
                                 Sink sink) {
        int threads = ParallelRanges.threads();
        float[][] outs = new float[(int) Math.min(threads, (elements + chunk - 1) / chunk)][chunk];
        FusedMerge.Scratch[] scratches = new FusedMerge.Scratch[outs.length];
        for (int w = 0; w < outs.length; w++) {
            scratches[w] = fused.scratch();
        }
        for (long round = 0; round < elements; round += (long) chunk * outs.length) {
            long start = round;
            int chunks = (int) Math.min(outs.length, (elements - round + chunk - 1) / chunk);
            ParallelRanges.each(chunks, w -> {
                long from = start + (long) w * chunk;
                fused.apply(source, from, (int) Math.min(chunk, elements - from), scratches[w], outs[w], 0, taskVector);
            });
            for (int w = 0; w < chunks; w++) {
                long from = start + (long) w * chunk;
                sink.accept(outs[w], (int) Math.min(chunk, elements - from));
            }
        }
    }

    private static ChunkedMerge.Source source(String name, ExpertTensors base, List<ExpertTensors> experts) {
        return (expert, from, into, count) -> (expert < 0 ? base : experts.get(expert)).readRange(name, from, into, count);
    }

    private void whole(String name, ExpertTensors base, List<ExpertTensors> experts, boolean taskVector, Sink sink) {
        try (NDManager scope = manager.newSubManager()) {
            Tensor baseTensor = base.read(name);
            NDArray baseArray = scope.create(baseTensor.data(), new Shape(baseTensor.shape()));
            List<NDArray> expertArrays = new ArrayList<>(experts.size());
            for (ExpertTensors expert : experts) {
                expertArrays.add(scope.create(expert.read(name).data(), new Shape(baseTensor.shape())));
            }
            NDArray result = taskVector ? method.taskVector(name, baseArray, expertArrays, parameters)
                    : method.merge(name, baseArray, expertArrays, parameters);
            float[] values = result.toFloatArray();
            sink.accept(values, values.length);
        }
    }

    /** Refuses an empty expert list or an expert whose tensor's shape differs from the base's, naming the tensor and both shapes. */
    private static void checkShapes(String name, ExpertTensors base, List<ExpertTensors> experts) {
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("no experts to merge for tensor '" + name + "'");
        }
        long[] shape = base.shape(name);
        for (int i = 0; i < experts.size(); i++) {
            long[] expert = experts.get(i).shape(name);
            if (!Arrays.equals(expert, shape)) {
                throw new IllegalArgumentException("tensor '" + name + "' of expert " + i + " has shape "
                        + Arrays.toString(expert) + " but the base has " + Arrays.toString(shape));
            }
        }
    }

    private static float[] prefix(float[] values, int count) {
        return count == values.length ? values : Arrays.copyOf(values, count);
    }
}
