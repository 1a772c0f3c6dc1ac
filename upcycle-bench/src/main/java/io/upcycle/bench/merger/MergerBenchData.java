package io.upcycle.bench.merger;

import io.upcycle.files.FileTrees;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The merger benchmark's inputs: a base and {@code experts} fine-tuned copies written as real
 * safetensors files into a fresh folder, four tensors per file holding 40/30/20/10% of
 * {@code params} floats. Base weights ~ N(0, 0.02²); each expert adds a seeded task vector
 * ~ N(0, 0.001²), so signs disagree across experts as they do in real merges.
 *
 * @param folder the folder holding the files (deleted by {@link #close()})
 * @param base the base file
 * @param experts the expert files
 * @param tensors the tensor names, largest first
 * @param params values per file, all tensors together
 * @param largestElements values in the largest tensor
 */
record MergerBenchData(Path folder, Path base, List<Path> experts, List<String> tensors, int params, int largestElements)
        implements AutoCloseable {
    private static final double[] SHARES = {0.4, 0.3, 0.2, 0.1};

    /** Writes the files into a new temporary folder under {@code parent}. */
    static MergerBenchData write(Path parent, int experts, int params, long seed) throws IOException {
        Files.createDirectories(parent);
        Path folder = Files.createTempDirectory(parent, "merger-bench-");
        int[] sizes = sizes(params);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            names.add("layers." + i + ".weight");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> base = new ArrayList<>();
        for (int size : sizes) {
            base.add(gaussian(random, size, 0.02, null));
        }
        Path basePath = folder.resolve("base.safetensors");
        Safetensors.write(basePath, tensors(names, base), Map.of("upcycle.bench", "merger base"));
        List<Path> expertPaths = new ArrayList<>();
        for (int t = 0; t < experts; t++) {
            List<float[]> expert = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                expert.add(gaussian(random, sizes[i], 0.001, base.get(i)));
            }
            Path path = folder.resolve("expert-" + t + ".safetensors");
            Safetensors.write(path, tensors(names, expert), Map.of("upcycle.bench", "merger expert " + t));
            expertPaths.add(path);
        }
        return new MergerBenchData(folder, basePath, List.copyOf(expertPaths), List.copyOf(names), params, sizes[0]);
    }

    /** Bytes of expert data one merge reads (float32). */
    long expertBytes() {
        return 4L * params * experts.size();
    }

    /** Splits {@code params} into four tensors of 40/30/20/10%, the last taking the rounding rest. */
    static int[] sizes(int params) {
        int[] sizes = new int[SHARES.length];
        int left = params;
        for (int i = 0; i < SHARES.length - 1; i++) {
            sizes[i] = Math.max(1, (int) (params * SHARES[i]));
            left -= sizes[i];
        }
        sizes[SHARES.length - 1] = left;
        if (left < 1) {
            throw new IllegalArgumentException("--params must be at least " + SHARES.length + ", was " + params);
        }
        return sizes;
    }

    private static float[] gaussian(SplittableRandom random, int size, double sd, float[] around) {
        float[] values = new float[size];
        for (int i = 0; i < size; i += 2) {
            // Box-Muller: two normals per pair of uniforms
            double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * sd;
            double phi = 2 * Math.PI * random.nextDouble();
            values[i] = (float) (r * Math.cos(phi)) + (around == null ? 0 : around[i]);
            if (i + 1 < size) {
                values[i + 1] = (float) (r * Math.sin(phi)) + (around == null ? 0 : around[i + 1]);
            }
        }
        return values;
    }

    private static List<Tensor> tensors(List<String> names, List<float[]> data) {
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            float[] values = data.get(i);
            tensors.add(values.length % 1000 == 0 && values.length > 1000
                    ? Tensor.of(names.get(i), values, values.length / 1000, 1000) : Tensor.of(names.get(i), values, values.length));
        }
        return tensors;
    }

    /** Deletes the folder and its files. */
    @Override
    public void close() {
        FileTrees.delete(folder);
    }
}
