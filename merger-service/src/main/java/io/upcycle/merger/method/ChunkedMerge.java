package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.Function;

/**
 * A merge method that computes its combined task vector of one tensor a chunk at a time, with a
 * result equal, value for value, to {@link MergeMethod#taskVector} on the whole tensor: what needs the
 * whole tensor (TIES' magnitude thresholds, DARE's mask streams) is settled in {@link #begin}, from
 * extra passes over the chunks where needed, and every later step is elementwise. A chunk of the
 * merge is then {@link MergeMethod#addTaskVector} of the chunk's task vector, so memory stays near
 * (experts + 2) chunks whatever the tensor size, whether the caller wants merged values or the task
 * vector itself (as the lambda search does).
 */
public interface ChunkedMerge {
    /** Reads values {@code [from, from + count)} of the base ({@code expert = -1}) or of expert {@code expert} into {@code into}. */
    @FunctionalInterface
    interface Source {
        void read(int expert, long from, float[] into, int count);
    }

    /** Combines the consecutive chunks of one tensor, which must be passed in order from the first value. */
    @FunctionalInterface
    interface TensorMerge {
        /** The combined task vector of the chunk (same length as {@code base}), attached to {@code base}'s manager. */
        NDArray next(NDArray base, List<NDArray> experts);
    }

    /**
     * Prepares the merge of tensor {@code tensor} of {@code elements} values from {@code experts}
     * experts; {@code source} serves any pass over the chunks of at most
     * {@code chunkElements} values that the method needs first (arrays it makes are closed before it returns).
     */
    TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                      MergeParameters parameters);

    /**
     * As {@link #begin(String, long, int, Source, int, MergeParameters)}, with the
     * per-expert thresholds {@link #sharedThresholds} found over all the merge's tensors (null: none).
     */
    default TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                              MergeParameters parameters, float[] sharedThresholds) {
        if (sharedThresholds != null) {
            throw new IllegalArgumentException("tensor '" + tensor + "': this method uses no shared thresholds");
        }
        return begin(tensor, elements, experts, source, chunkElements, parameters);
    }

    /**
     * Per-expert thresholds that hold across {@code tensors} together (a trim over the whole task
     * vector), found from passes over their chunks ({@code sources} gives each tensor's); null when
     * {@code parameters} settle everything per tensor.
     */
    default float[] sharedThresholds(List<String> tensors, List<Long> elements, int experts, Function<String, Source> sources,
                                     int chunkElements, MergeParameters parameters) {
        return null;
    }

    /**
     * The same merge of tensor {@code tensor} on plain arrays, fused and safe to run on several threads
     * ({@link FusedMerge}), for a CPU, where an engine's per-chunk round trips cost more than the math;
     * null when the method has none (it then runs on the engine). Thresholds and masks as in
     * {@link #begin(String, long, int, Source, int, MergeParameters, float[])}, so the values are the same.
     */
    default FusedMerge fused(String tensor, long elements, int experts, Source source, int chunkElements,
                             MergeParameters parameters, float[] sharedThresholds) {
        return null;
    }
}
