package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        if (sparsification == Sparsification.RANDOM) {
            all.add(new MethodParameter("seed", "0", "seed of the drop masks (recorded)"));
        }
        return all;
    }

    @Override
    public MergeParameters resolve(MergeParameters given) {
        if (sparsification == Sparsification.NONE || given.density().isPresent()) {
            return given;
        }
        return given.with(MergeParameters.DENSITY, Double.toString(defaultDensity));
    }

    @Override
    public NDArray taskVector(String tensor, NDArray base, List<NDArray> experts, MergeParameters parameters) {
        MergeMethod.checkShapes(tensor, base, experts);
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
    public TensorMerge begin(String tensor, long elements, int experts, Source source, int chunkElements, NDManager manager,
                             MergeParameters parameters) {
        double density = resolve(parameters).density().orElse(1.0);
        float[] thresholds = sparsification == Sparsification.MAGNITUDE
                ? thresholds(tensor, elements, experts, source, chunkElements, manager, density) : new float[experts];
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

    /** Each expert's exact {@code floor(density * n)}-th largest |tau| of one tensor, from two passes over its chunks. */
    private static float[] thresholds(String tensor, long elements, int experts, Source source, int chunkElements,
                                      NDManager manager, double density) {
        long k = MagnitudeThreshold.keepCount(elements, density);
        List<RadixMagnitudeSelect> selects = new ArrayList<>(experts);
        for (int t = 0; t < experts; t++) {
            selects.add(new RadixMagnitudeSelect("task vector of expert " + t + " in tensor '" + tensor + "'", k));
        }
        int chunk = (int) Math.max(1, Math.min(chunkElements, elements));
        float[] base = new float[chunk];
        float[] expert = new float[chunk];
        while (selects.get(0).needsPass()) {
            for (long from = 0; from < elements; from += chunk) {
                int count = (int) Math.min(chunk, elements - from);
                source.read(-1, from, base, count);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray baseArray = scope.create(count == chunk ? base : Arrays.copyOf(base, count), new Shape(count));
                    for (int t = 0; t < experts; t++) {
                        source.read(t, from, expert, count);
                        try (NDArray expertArray = scope.create(count == chunk ? expert : Arrays.copyOf(expert, count), new Shape(count));
                             NDArray difference = expertArray.sub(baseArray)) {
                            selects.get(t).add(difference.toFloatArray(), count);
                        }
                    }
                }
            }
            selects.forEach(RadixMagnitudeSelect::endPass);
        }
        float[] thresholds = new float[experts];
        for (int t = 0; t < experts; t++) {
            thresholds[t] = selects.get(t).threshold();
        }
        return thresholds;
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
