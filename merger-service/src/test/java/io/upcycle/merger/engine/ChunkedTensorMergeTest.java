package io.upcycle.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.engine.ExpertTensors;
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
                    for (boolean engine : new boolean[] {false, true}) {
                        // when
                        float[] chunked = chunked(method, parameters, basePath, expertPaths, chunk, n, engine);

                        // then
                        assertThat(chunked).as(name + " density " + density + " chunk " + chunk + (engine ? " on the engine" : " fused"))
                                .containsExactly(whole);
                    }
                }
            }
        }
    }

    @Test
    void shouldEqualTheWholeTensorMergeWhenTheFusedPathSpansManyStepsOnEveryThread() {
        // given four experts of a tensor of 3 fused steps and a bit, with zeros, ties and sign conflicts
        int n = 3 * 8192 + 17;
        Random random = new Random(5);
        float[] base = values(random, n, 0);
        List<float[]> experts = new ArrayList<>();
        List<Path> expertPaths = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            float[] expert = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(5);
                expert[i] = kind == 0 ? base[i] : kind == 1 ? base[i] + 0.5f * (random.nextBoolean() ? 1 : -1)
                        : base[i] + (float) random.nextGaussian() * 0.01f;
            }
            experts.add(expert);
            expertPaths.add(write("long" + t, expert, n));
        }
        Path basePath = write("long-base", base, n);
        MergeMethods methods = MergeMethods.defaults();
        for (String name : List.of("task_arithmetic", "ties", "dare_linear", "dare_ties")) {
            MergeMethod method = methods.get(name);
            MergeParameters parameters = method.resolve(new MergeParameters(0.6, 3L, Map.of()));
            float[] whole = whole(method, parameters, base, experts, new Shape(n));
            for (int chunk : new int[] {4099, 8192, n, 1 << 18}) {
                // when
                float[] fused = chunked(method, parameters, basePath, expertPaths, chunk, n, false);

                // then
                assertThat(fused).as(name + " chunk " + chunk).containsExactly(whole);
            }
        }
    }

    @Test
    void shouldRankEachExpertsWholeTaskVectorWhenTheTrimScopeIsGlobal() {
        // given one expert whose task vector is a = [1, 2, 3, -4] and b = [10, -20] over a zero base, TIES at density 0.5
        Path basePath = dir.resolve("scope-base.safetensors");
        Path expertPath = dir.resolve("scope-expert.safetensors");
        Safetensors.write(basePath, List.of(Tensor.of("a", new float[4], 4), Tensor.of("b", new float[2], 2)), Map.of());
        Safetensors.write(expertPath, List.of(Tensor.of("a", new float[] {1, 2, 3, -4}, 4), Tensor.of("b", new float[] {10, -20}, 2)),
                Map.of());
        MergeMethod ties = MergeMethods.defaults().get("ties");
        for (int chunk : new int[] {1, 3, 1000}) {
            for (boolean engine : new boolean[] {false, true}) {
                // when merged with each scope (lambda 1: one expert's TIES merge is its trimmed task vector)
                Map<String, float[]> perTensor = mergeBoth(ties, "tensor", basePath, expertPath, chunk, engine);
                Map<String, float[]> global = mergeBoth(ties, "global", basePath, expertPath, chunk, engine);
                // then per tensor each keeps its own top half; globally the top 3 of all 6 values: 20, 10 and 4
                assertThat(perTensor.get("a")).as("chunk %d", chunk).containsExactly(0, 0, 3, -4);
                assertThat(perTensor.get("b")).as("chunk %d", chunk).containsExactly(0, -20);
                assertThat(global.get("a")).as("chunk %d", chunk).containsExactly(0, 0, 0, -4);
                assertThat(global.get("b")).as("chunk %d", chunk).containsExactly(10, -20);
            }
        }
    }

    @Test
    void shouldRefuseAGlobalTrimOfATensorMergedWithoutTheOthers() {
        // given a global-scope TIES merge that was not prepared with every tensor
        Path basePath = write("lone-base", new float[91]);
        Path expertPath = write("lone-expert", values(new Random(1), 91, 0));
        MergeMethod ties = MergeMethods.defaults().get("ties");
        MergeParameters parameters = ties.resolve(new MergeParameters(1, 0, Map.of(MergeParameters.TRIM_SCOPE, "global")));
        // when / then
        try (SafetensorsFile base = Safetensors.open(basePath); SafetensorsFile expert = Safetensors.open(expertPath)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ChunkedTensorMerge(manager, ties, parameters, 16)
                    .merge("layer.weight", base, List.of(expert), (values, count) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 'layer.weight'")
                    .hasMessageContaining("trim_scope = global");
        }
    }

    private Map<String, float[]> mergeBoth(MergeMethod method, String scope, Path basePath, Path expertPath, int chunk,
                                           boolean engine) {
        MergeParameters parameters = method.resolve(new MergeParameters(1, 0,
                Map.of(MergeParameters.DENSITY, "0.5", MergeParameters.TRIM_SCOPE, scope)));
        Map<String, float[]> out = new java.util.HashMap<>();
        try (SafetensorsFile base = Safetensors.open(basePath); SafetensorsFile expert = Safetensors.open(expertPath)) {
            ExpertTensors baseTensors = ExpertTensors.of(base);
            List<ExpertTensors> experts = List.of(ExpertTensors.of(expert));
            ChunkedTensorMerge merger = engine ? ChunkedTensorMerge.onEngine(manager, method, parameters, chunk)
                    : new ChunkedTensorMerge(manager, method, parameters, chunk);
            merger.prepare(List.of("a", "b"), baseTensors, experts);
            for (String name : List.of("a", "b")) {
                float[] values = new float[(int) base.elementCount(name)];
                int[] filled = {0};
                merger.merge(name, baseTensors, experts, (chunkValues, count) -> {
                    System.arraycopy(chunkValues, 0, values, filled[0], count);
                    filled[0] += count;
                });
                out.put(name, values);
            }
        }
        return out;
    }

    private float[] whole(MergeMethod method, MergeParameters parameters, float[] base, List<float[]> experts) {
        return whole(method, parameters, base, experts, new Shape(7, 13));
    }

    private float[] whole(MergeMethod method, MergeParameters parameters, float[] base, List<float[]> experts, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray baseArray = scope.create(base, shape);
            List<NDArray> expertArrays = experts.stream().map(e -> scope.create(e, shape)).toList();
            return method.merge("layer.weight", baseArray, expertArrays, parameters).toFloatArray();
        }
    }

    private float[] chunked(MergeMethod method, MergeParameters parameters, Path basePath, List<Path> expertPaths, int chunk, int n,
                            boolean engine) {
        float[] out = new float[n];
        int[] filled = {0};
        List<SafetensorsFile> files = expertPaths.stream().map(Safetensors::open).toList();
        try (SafetensorsFile base = Safetensors.open(basePath)) {
            ChunkedTensorMerge merger = engine ? ChunkedTensorMerge.onEngine(manager, method, parameters, chunk)
                    : new ChunkedTensorMerge(manager, method, parameters, chunk);
            merger.merge("layer.weight", base, files, (values, count) -> {
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

    private Path write(String name, float[] values, int n) {
        Path path = dir.resolve(name + ".safetensors");
        Safetensors.write(path, List.of(Tensor.of("layer.weight", values, n)), Map.of());
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
