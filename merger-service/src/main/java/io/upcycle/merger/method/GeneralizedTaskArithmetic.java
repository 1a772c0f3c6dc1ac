package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The task-arithmetic family as one class (mergekit's generalized task arithmetic): each expert's
 * task vector {@code tau_t = theta_t - base} is thinned by a {@link Sparsification} (exact, on the
 * Java side), the thinned vectors are combined by a {@link Consensus} (on the engine), and the merge
 * is {@code base + lambda * combined}. Registered as task arithmetic, TIES, DARE-linear and DARE-TIES.
 *
 * <p>The combination runs over chunks of at most {@code chunkElements} values, so engine memory per
 * step stays at (experts + 2) chunks; sparsification always sees the whole tensor (the magnitude
 * threshold is per tensor, as in PEFT and mergekit), so the result does not depend on the chunk size.
 *
 * <p>As a {@link ChunkedMerge} it never holds a whole tensor: TIES' per-tensor thresholds come from
 * two radix-select passes over the chunks ({@link RadixMagnitudeSelect}, exact, equal to the
 * quickselect of the whole path), DARE's masks from one random stream per expert that runs on across
 * chunks; task vectors, sign election and disjoint mean stay on the engine, chunk by chunk.
 */
public final class GeneralizedTaskArithmetic implements MergeMethod, ChunkedMerge {
    /** Default chunk: 1 Mi values (4 MiB of float32) per expert. */
    public static final int DEFAULT_CHUNK = 1 << 20;

    private final String name;
    private final String referenceUrl;
    private final Sparsification sparsification;
    private final Consensus consensus;
    private final double defaultDensity;
    private final int chunkElements;

    public GeneralizedTaskArithmetic(String name, String referenceUrl, Sparsification sparsification,
                                     Consensus consensus, double defaultDensity, int chunkElements) {
        MagnitudeThreshold.checkDensity(defaultDensity);
        if (chunkElements <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, was " + chunkElements);
        }
        this.name = name;
        this.referenceUrl = referenceUrl;
        this.sparsification = sparsification;
        this.consensus = consensus;
        this.defaultDensity = defaultDensity;
        this.chunkElements = chunkElements;
    }

    /** Task arithmetic: no sparsification, plain sum (Ilharco et al., ICLR 2023). */
    public static GeneralizedTaskArithmetic taskArithmetic() {
        return new GeneralizedTaskArithmetic("task_arithmetic", "https://arxiv.org/abs/2212.04089",
                Sparsification.NONE, Consensus.NONE, 1.0, DEFAULT_CHUNK);
    }

    /** TIES: trim to the top 20% by magnitude (the paper's k), elect sign, disjoint mean (Yadav et al., NeurIPS 2023). */
    public static GeneralizedTaskArithmetic ties() {
        return new GeneralizedTaskArithmetic("ties", "https://arxiv.org/abs/2306.01708",
                Sparsification.MAGNITUDE, Consensus.SIGN_ELECTION, 0.2, DEFAULT_CHUNK);
    }

    /** DARE-linear: drop 90% at random (the paper's p = 0.9, so density 0.1), rescale, sum (Yu et al., ICML 2024). */
    public static GeneralizedTaskArithmetic dareLinear() {
        return new GeneralizedTaskArithmetic("dare_linear", "https://arxiv.org/abs/2311.03099",
                Sparsification.RANDOM, Consensus.NONE, 0.1, DEFAULT_CHUNK);
    }

    /** DARE-TIES: DARE's random drop and rescale, then TIES' sign election and disjoint mean. */
    public static GeneralizedTaskArithmetic dareTies() {
        return new GeneralizedTaskArithmetic("dare_ties", "https://arxiv.org/abs/2311.03099",
                Sparsification.RANDOM, Consensus.SIGN_ELECTION, 0.1, DEFAULT_CHUNK);
    }

    /** The same method combining over chunks of {@code elements} values. */
    public GeneralizedTaskArithmetic withChunk(int elements) {
        return new GeneralizedTaskArithmetic(name, referenceUrl, sparsification, consensus, defaultDensity, elements);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String referenceUrl() {
        return referenceUrl;
    }

    @Override
    public List<MethodParameter> parameters() {
        List<MethodParameter> all = new ArrayList<>(MergeMethod.super.parameters());
        if (sparsification != Sparsification.NONE) {
            all.add(new MethodParameter(MergeParameters.DENSITY, Double.toString(defaultDensity),
                    sparsification == Sparsification.MAGNITUDE ? "fraction of each task vector kept, by magnitude"
                            : "probability of keeping each entry; kept entries are divided by it"));
        }
        if (sparsification == Sparsification.MAGNITUDE) {
            all.add(new MethodParameter(MergeParameters.TRIM_SCOPE, TrimScope.TENSOR.value(),
                    "what the trim ranks: 'tensor' (each tensor keeps its top density, as mergekit) or 'global'"
                            + " (the expert's whole task vector, as the TIES paper)"));
        }
        if (sparsification == Sparsification.RANDOM) {
            all.add(new MethodParameter("seed", "0", "seed of the drop masks (recorded)"));
        }
        return all;
    }

    @Override
    public MergeParameters resolve(MergeParameters given) {
        if (given.extra().containsKey(MergeParameters.TRIM_SCOPE) && sparsification != Sparsification.MAGNITUDE) {
            throw new IllegalArgumentException(MergeParameters.TRIM_SCOPE + " given but method '" + name + "' does not trim by"
                    + " magnitude" + (sparsification == Sparsification.RANDOM
                    ? ": it keeps each entry at random, on its own, so there is no ranking whose scope could be chosen" : ""));
        }
        MergeParameters resolved = given;
        if (sparsification != Sparsification.NONE && given.density().isEmpty()) {
            resolved = resolved.with(MergeParameters.DENSITY, Double.toString(defaultDensity));
        }
        if (sparsification == Sparsification.MAGNITUDE && !given.extra().containsKey(MergeParameters.TRIM_SCOPE)) {
            resolved = resolved.with(MergeParameters.TRIM_SCOPE, TrimScope.TENSOR.value());
        }
        return resolved;
    }

    @Override
    public NDArray taskVector(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        MergeMethod.checkShapes(tensor, base, experts);
        requireTensorScope(tensor, parameters);
        double density = resolve(parameters).density().orElse(1.0);
        List<float[]> taus = new ArrayList<>(experts.size());
        for (int t = 0; t < experts.size(); t++) {
            float[] tau;
            try (NDArray difference = experts.get(t).sub(base)) {
                tau = difference.toFloatArray();
            }
            taus.add(sparsification == Sparsification.NONE ? tau : sparsification.apply(tau, density, parameters.seed(), tensor, t));
        }
        return base.getManager().create(combineInChunks(base.getManager(), taus), base.getShape());
    }

    @Override
    public TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                             MergeParameters parameters) {
        return begin(tensor, elements, experts, source, chunkElements, parameters, null);
    }

    @Override
    public TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements,
                             MergeParameters parameters, float[] sharedThresholds) {
        double density = resolve(parameters).density().orElse(1.0);
        float[] thresholds;
        if (sharedThresholds != null) {
            thresholds = sharedThresholds;
        } else {
            requireTensorScope(tensor, parameters);
            thresholds = sparsification == Sparsification.MAGNITUDE
                    ? thresholds(List.of(tensor), List.of(elements), experts, name -> source, chunkElements, density)
                    : new float[experts];
        }
        List<Sparsification.Thinning> thinnings = new ArrayList<>(experts);
        for (int t = 0; t < experts; t++) {
            thinnings.add(sparsification.thinning(density, thresholds[t], parameters.seed(), tensor, t));
        }
        return (base, chunk) -> {
            MergeMethod.checkShapes(tensor, base, chunk);
            List<float[]> taus = new ArrayList<>(chunk.size());
            for (int t = 0; t < chunk.size(); t++) {
                float[] tau;
                try (NDArray difference = chunk.get(t).sub(base)) {
                    tau = difference.toFloatArray();
                }
                taus.add(sparsification == Sparsification.NONE ? tau : thinnings.get(t).next(tau, tau.length));
            }
            return base.getManager().create(combineInChunks(base.getManager(), taus), base.getShape());
        };
    }

    @Override
    public FusedMerge fused(String tensor, long elements, int experts, Source source, int chunkElements,
                            MergeParameters parameters, float[] sharedThresholds) {
        double density = resolve(parameters).density().orElse(1.0);
        float[] thresholds = sharedThresholds;
        if (thresholds == null) {
            requireTensorScope(tensor, parameters);
            thresholds = sparsification == Sparsification.MAGNITUDE
                    ? thresholds(List.of(tensor), List.of(elements), experts, name -> source, chunkElements, density)
                    : new float[experts];
        }
        DropMask[] masks = new DropMask[experts];
        for (int t = 0; t < experts; t++) {
            masks[t] = new DropMask(Sparsification.maskSeed(parameters.seed(), tensor, t), density);
        }
        return new FusedMerge(sparsification, consensus, thresholds, masks, parameters.lambda());
    }

    @Override
    public float[] sharedThresholds(List<String> tensors, List<Long> elements, int experts, Function<String, Source> sources,
                                    int chunkElements, MergeParameters parameters) {
        MergeParameters resolved = resolve(parameters);
        if (sparsification != Sparsification.MAGNITUDE || resolved.trimScope() != TrimScope.GLOBAL) {
            return null;
        }
        return thresholds(tensors, elements, experts, sources, chunkElements, resolved.density().orElse(1.0));
    }

    /** A global trim needs every tensor's values first: a single tensor cannot be merged alone under it. */
    private void requireTensorScope(String tensor, MergeParameters parameters) {
        if (sparsification == Sparsification.MAGNITUDE && resolve(parameters).trimScope() == TrimScope.GLOBAL) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + MergeParameters.TRIM_SCOPE + " = global ranks"
                    + " every merged tensor of an expert together; merge them through ChunkedTensorMerge, which finds the"
                    + " shared thresholds first");
        }
    }

    /**
     * Each expert's exact {@code floor(density * n)}-th largest |tau| over {@code tensors} together
     * ({@code n} their total size), from two passes over their chunks, on every core: each thread
     * counts the chunks it takes into histograms of its own, added up at the end of a pass.
     */
    private static float[] thresholds(List<String> tensors, List<Long> elements, int experts, Function<String, Source> sources,
                                      int chunkElements, double density) {
        long total = elements.stream().mapToLong(Long::longValue).sum();
        long k = MagnitudeThreshold.keepCount(total, density);
        String where = tensors.size() == 1 ? "tensor '" + tensors.get(0) + "'" : tensors.size() + " tensors";
        List<RadixMagnitudeSelect> selects = new ArrayList<>(experts);
        for (int t = 0; t < experts; t++) {
            selects.add(new RadixMagnitudeSelect("task vector of expert " + t + " in " + where, k));
        }
        int chunk = Math.min(chunkElements, FusedMerge.STEP);
        while (selects.get(0).needsPass()) {
            for (int i = 0; i < tensors.size(); i++) {
                Source source = sources.apply(tensors.get(i));
                List<PassCounts> counts = ParallelRanges.run(elements.get(i), chunk, () -> new PassCounts(selects, chunk),
                        (state, from, count) -> state.count(source, from, count));
                counts.forEach(PassCounts::addTo);
            }
            selects.forEach(RadixMagnitudeSelect::endPass);
        }
        float[] thresholds = new float[experts];
        for (int t = 0; t < experts; t++) {
            thresholds[t] = selects.get(t).threshold();
        }
        return thresholds;
    }

    /** One thread's histograms of one pass over one tensor: every expert's |tau| counted. */
    private static final class PassCounts {
        private final List<RadixMagnitudeSelect> selects;
        private final long[][] counts;
        private final float[] base;
        private final float[] tau;
        private long values;

        PassCounts(List<RadixMagnitudeSelect> selects, int chunk) {
            this.selects = selects;
            this.counts = new long[selects.size()][];
            for (int t = 0; t < counts.length; t++) {
                counts[t] = selects.get(t).newCounts();
            }
            this.base = new float[chunk];
            this.tau = new float[chunk];
        }

        void count(Source source, long from, int count) {
            source.read(-1, from, base, count);
            for (int t = 0; t < counts.length; t++) {
                source.read(t, from, tau, count);
                for (int i = 0; i < count; i++) {
                    tau[i] -= base[i];
                }
                selects.get(t).count(tau, count, counts[t], from);
            }
            values += count;
        }

        void addTo() {
            for (int t = 0; t < counts.length; t++) {
                selects.get(t).addCounts(counts[t], values);
            }
        }
    }

    private float[] combineInChunks(NDManager manager, List<float[]> taus) {
        int n = taus.get(0).length;
        float[] combined = new float[n];
        for (int offset = 0; offset < n; offset += chunkElements) {
            int length = Math.min(chunkElements, n - offset);
            try (NDManager scope = manager.newSubManager()) {
                List<NDArray> chunk = new ArrayList<>(taus.size());
                for (float[] tau : taus) {
                    float[] values = length == n ? tau : Arrays.copyOfRange(tau, offset, offset + length);
                    chunk.add(scope.create(values, new Shape(length)));
                }
                float[] part = consensus.combine(chunk).toFloatArray();
                System.arraycopy(part, 0, combined, offset, length);
            }
        }
        return combined;
    }
}
