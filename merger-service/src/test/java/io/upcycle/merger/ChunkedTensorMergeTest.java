package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedTensorMergeTest extends TfEngineTest {
    @TempDir
    Path dir;

    @Test
    void shouldEqualTheWholeTensorMergeOfEveryMethodForOddSizesAndChunkSizes() {
        // given three experts of a 7 x 13 tensor whose task vectors hold tied magnitudes, zeros and sign conflicts
        int n = 91;
        Random random = new Random(23);
        float[] base = values(random, n, 0);
        Path basePath = write("base", base);
        List<Path> expertPaths = new ArrayList<>();
        List<float[]> experts = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            float[] expert = values(random, n, 0);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(4);
                expert[i] = kind == 0 ? base[i] : kind == 1 ? base[i] + 0.25f * (random.nextBoolean() ? 1 : -1) : expert[i];
            }
            experts.add(expert);
            expertPaths.add(write("expert" + t, expert));
        }
        MergeMethods methods = MergeMethods.defaults();

        for (String name : methods.names()) {
            for (String density : List.of("", "0", "0.33", "1")) {
                MergeMethod method = methods.get(name);
                if (!density.isEmpty() && method.parameters().stream().noneMatch(p -> p.name().equals(MergeParameters.DENSITY))) {
                    continue;
                }
                MergeParameters parameters = method.resolve(new MergeParameters(0.7, 9L,
                        density.isEmpty() ? Map.of() : Map.of(MergeParameters.DENSITY, density)));
                float[] whole = whole(method, parameters, base, experts);
                for (int chunk : new int[] {1, 2, 7, 13, 90, 91, 1000}) {
                    // when
                    float[] chunked = chunked(method, parameters, basePath, expertPaths, chunk, n);

                    // then
                    assertThat(chunked).as(name + " density " + density + " chunk " + chunk).containsExactly(whole);
                }
            }
        }
    }

    private float[] whole(MergeMethod method, MergeParameters parameters, float[] base, List<float[]> experts) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray baseArray = scope.create(base, new Shape(7, 13));
            List<NDArray> expertArrays = experts.stream().map(e -> scope.create(e, new Shape(7, 13))).toList();
            return method.merge("layer.weight", baseArray, expertArrays, parameters).toFloatArray();
        }
    }

    private float[] chunked(MergeMethod method, MergeParameters parameters, Path basePath, List<Path> expertPaths, int chunk, int n) {
        float[] out = new float[n];
        int[] filled = {0};
        List<SafetensorsFile> files = expertPaths.stream().map(Safetensors::open).toList();
        try (SafetensorsFile base = Safetensors.open(basePath)) {
            new ChunkedTensorMerge(manager, method, parameters, chunk).merge("layer.weight", base, files, (values, count) -> {
                System.arraycopy(values, 0, out, filled[0], count);
                filled[0] += count;
            });
        } finally {
            files.forEach(SafetensorsFile::close);
        }
        assertThat(filled[0]).isEqualTo(n);
        return out;
    }

    private Path write(String name, float[] values) {
        Path path = dir.resolve(name + ".safetensors");
        Safetensors.write(path, List.of(Tensor.of("layer.weight", values, 7, 13)), Map.of());
        return path;
    }

    private static float[] values(Random random, int n, int unused) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
