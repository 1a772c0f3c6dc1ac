package io.upcycle.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.TinyLora;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.engine.TrunkMerge;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrunkMergeTest extends TfEngineTest {
    /** Splits every trunk tensor unevenly (98304 = 393 x 250 + 54, 65536 = 262 x 250 + 36, 256 = 250 + 6), LoRA rows of 384 mid-row. */
    private static final int CHUNK = 250;

    @TempDir
    Path dir;

    @Test
    void shouldEqualTheWholeTensorTaskVectorsOfEveryMethodOnFullAndLoraExperts() {
        // given two tasks as LoRA adapters and as their dense full checkpoints
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 5L, List.of("task-a", "task-b"));
        Map<String, List<StoredCheckpoint>> expertSets = Map.of(
                "full", List.of(fixture.dense.get("task-a"), fixture.dense.get("task-b")),
                "lora", List.of(fixture.adapters.get("task-a"), fixture.adapters.get("task-b")));
        MergeMethods methods = MergeMethods.defaults();

        try (SafetensorsFile base = fixture.store.openVerified(fixture.base.uri(), fixture.base.sha256())) {
            for (Map.Entry<String, List<StoredCheckpoint>> set : expertSets.entrySet()) {
                List<SafetensorsFile> files = new ArrayList<>();
                try {
                    List<ExpertTensors> views = new ArrayList<>();
                    for (StoredCheckpoint stored : set.getValue()) {
                        files.add(fixture.store.openVerified(stored.uri(), stored.sha256()));
                        views.add(ExpertTensors.of(files.get(files.size() - 1), base, fixture.base.sha256()));
                    }
                    for (String name : List.of("task_arithmetic", "ties", "dare_ties", "average")) {
                        MergeMethod method = methods.get(name);
                        MergeParameters parameters = method.resolve(new MergeParameters(0.7, 9L, Map.of()));
                        ChunkedTensorMerge merger = new ChunkedTensorMerge(manager, method, parameters, CHUNK);

                        // when
                        Map<String, Tensor> chunked = TrunkMerge.taskVectors(merger, ExpertTensors.of(base), views, ExpertLayout.TRUNK);

                        // then every value equals the whole-tensor task vector of the experts read whole
                        Map<String, Tensor> whole = wholeTaskVectors(method, parameters, base, files);
                        assertThat(chunked.keySet()).containsExactlyElementsOf(ExpertLayout.TRUNK);
                        for (String tensor : ExpertLayout.TRUNK) {
                            assertThat(chunked.get(tensor).shape()).isEqualTo(whole.get(tensor).shape());
                            assertThat(chunked.get(tensor).data()).as(set.getKey() + " " + name + " " + tensor)
                                    .containsExactly(whole.get(tensor).data());
                        }
                        assertThat(chunked.get(ExpertLayout.TRUNK0_WEIGHT).data()).as("a task vector that is not zero")
                                .isNotEqualTo(new float[chunked.get(ExpertLayout.TRUNK0_WEIGHT).data().length]);
                    }
                } finally {
                    files.forEach(SafetensorsFile::close);
                }
            }
        }
    }

    @Test
    void shouldReadAnyRangeOfALoraDenseViewAsTheAdapterMergedIntoTheBase() {
        // given an adapter and its dense tensors as LoraAdapter.mergeInto computes them
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 6L, List.of("task-a"));
        StoredCheckpoint stored = fixture.adapters.get("task-a");
        try (SafetensorsFile base = fixture.store.openVerified(fixture.base.uri(), fixture.base.sha256());
             SafetensorsFile file = fixture.store.openVerified(stored.uri(), stored.sha256())) {
            LoraAdapter adapter = LoraAdapter.read(file);
            ExpertTensors view = ExpertTensors.of(file, base, fixture.base.sha256());
            List<String> names = new ArrayList<>(ExpertLayout.INPUT);
            names.addAll(ExpertLayout.TRUNK);
            names.addAll(ExpertLayout.HEAD);
            for (String name : names) {
                Tensor expected = denseOf(adapter, base, name);
                int n = expected.data().length;
                for (int[] range : new int[][] {{0, n}, {1, n - 1}, {n / 3, Math.min(389, n - n / 3)}, {n - 1, 1}, {n / 2, 0}}) {
                    // when
                    float[] values = new float[range[1] + 3];
                    view.readRange(name, range[0], values, range[1]);

                    // then
                    float[] want = Arrays.copyOfRange(expected.data(), range[0], range[0] + range[1]);
                    assertThat(Arrays.copyOf(values, range[1])).as(name + " from " + range[0]).containsExactly(want);
                }
                assertThat(view.shape(name)).isEqualTo(expected.shape());
                assertThat(view.read(name)).isEqualTo(expected);
            }
        }
    }

    /** The dense expert's tensor as the whole-tensor path read it: {@link LoraAdapter#mergeInto} of the base's tensor. */
    private static Tensor denseOf(LoraAdapter adapter, SafetensorsFile base, String name) {
        if (ExpertLayout.HEAD.contains(name)) {
            Tensor head = name.equals(ExpertLayout.HEAD_WEIGHT) ? adapter.headWeight() : adapter.headBias();
            return head.renamed(name);
        }
        return adapter.mergeInto(List.of(base.read(name))).get(0);
    }

    /** The whole-tensor path this replaced: every tensor read whole and combined by {@link MergeMethod#taskVector}. */
    private static Map<String, Tensor> wholeTaskVectors(MergeMethod method, MergeParameters parameters, SafetensorsFile base,
                                                        List<SafetensorsFile> files) {
        Map<String, Tensor> deltas = new LinkedHashMap<>();
        for (String name : ExpertLayout.TRUNK) {
            try (NDManager scope = manager.newSubManager()) {
                Tensor baseTensor = base.read(name);
                NDArray baseArray = scope.create(baseTensor.data(), new Shape(baseTensor.shape()));
                List<NDArray> expertArrays = new ArrayList<>();
                for (SafetensorsFile file : files) {
                    Tensor expert = ExpertTensors.isLora(file) ? denseOf(LoraAdapter.read(file), base, name) : file.read(name);
                    expertArrays.add(scope.create(expert.data(), new Shape(expert.shape())));
                }
                NDArray delta = method.taskVector(name, baseArray, expertArrays, parameters);
                deltas.put(name, new Tensor(name, delta.getShape().getShape(), delta.toFloatArray()));
            }
        }
        return deltas;
    }
}
