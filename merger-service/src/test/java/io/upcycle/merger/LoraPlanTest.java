package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.TaskScore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraPlanTest extends TfEngineTest {
    @TempDir
    Path dir;

    private static MergeRunner runner(TinyLora fixture) {
        return new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                new MergeOptions(List.of(0.3, 0.7, 1.0), 64, 7L, OptionalDouble.of(0.5)));
    }

    private static MergePlan plan(TinyLora fixture, String prefix, String method) {
        return new MergePlan(prefix + "-" + method, fixture.names().stream().map(t -> prefix + "-" + t).toList(), method,
                fixture.base.uri(), fixture.base.sha256());
    }

    private static List<ExpertCheckpoint> experts(TinyLora fixture, String prefix, Map<String, StoredCheckpoint> files) {
        return fixture.names().stream().map(t -> fixture.checkpoint(prefix + "-" + t, t, files.get(t))).toList();
    }

    @Test
    void shouldMergeLoraAdaptersExactlyAsTheirHandMergedDenseExperts() {
        // given two adapters of the base and the dense experts W + (alpha/r) B A merged by hand
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 11L, List.of("task-a", "task-b"));

        for (String method : List.of("task_arithmetic", "ties")) {
            // when the same plan runs once on the adapters and once on the dense experts
            MergeResult lora = runner(fixture).run(plan(fixture, "lora", method), experts(fixture, "lora", fixture.adapters));
            MergeResult dense = runner(fixture).run(plan(fixture, "dense", method), experts(fixture, "dense", fixture.dense));

            // then the merged trunks, the chosen lambda and every score agree
            assertThat(lora.lambda()).as(method).isEqualTo(dense.lambda());
            assertThat(lora.meanValidationByLambda()).isEqualTo(dense.meanValidationByLambda());
            try (SafetensorsFile a = Safetensors.open(lora.output().path()); SafetensorsFile b = Safetensors.open(dense.output().path())) {
                for (String name : ExpertLayout.TRUNK) {
                    assertThat(a.read(name).data()).as(method + " " + name).containsExactly(b.read(name).data(), Offset.offset(1e-5f));
                }
                // and the adapter's own head and the base's standardization are kept for its task
                assertThat(a.read("experts.lora-task-b.head.weight").data())
                        .containsExactly(fixture.denseTensors.get("task-b").get(ExpertLayout.HEAD_WEIGHT).data());
                assertThat(a.read("experts.lora-task-b.input.mean").data())
                        .containsExactly(fixture.baseTensors.get(ExpertLayout.INPUT_MEAN).data());
            }
            List<TaskScore> scores = lora.event().getScores();
            for (int i = 0; i < scores.size(); i++) {
                TaskScore expected = dense.event().getScores().get(i);
                assertThat(scores.get(i).getExpertAccuracy()).isEqualTo(1.0).isEqualTo(expected.getExpertAccuracy());
                assertThat(scores.get(i).getMergedAccuracy()).isEqualTo(expected.getMergedAccuracy());
            }
            // and the merge moved the trunk away from the base (the adapters are not no-ops)
            try (SafetensorsFile a = Safetensors.open(lora.output().path())) {
                assertThat(a.read(ExpertLayout.TRUNK1_WEIGHT).data())
                        .isNotEqualTo(fixture.baseTensors.get(ExpertLayout.TRUNK1_WEIGHT).data());
            }
        }
    }

    @Test
    void shouldRefuseAnAdapterOfAnotherBaseNamingTheFileAndBothHashes() {
        // given an adapter that records another base's hash
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 12L, List.of("task-a"));
        String otherBase = "0".repeat(64);
        LoraAdapter foreign = fixture.adapter(otherBase);
        StoredCheckpoint stored = fixture.store.save("lora-task-a", 20, "LORA_ADAPTER", foreign.tensors(), foreign.metadata());
        List<ExpertCheckpoint> experts = List.of(fixture.checkpoint("lora-task-a", "task-a", stored));

        // when / then
        assertThatThrownBy(() -> runner(fixture).run(plan(fixture, "lora", "task_arithmetic"), experts))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(stored.path().toString())
                .hasMessageContaining(otherBase)
                .hasMessageContaining(fixture.base.sha256());
        assertThat(dir.resolve("merges")).doesNotExist();
    }

    @Test
    void shouldMergeAdapterFilesOnTheCommandLineAsTheirDenseExperts() {
        // given
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 13L, List.of("task-a", "task-b"), false);
        Path base = fixture.base.path();
        List<Path> adapters = fixture.names().stream().map(t -> fixture.adapters.get(t).path()).toList();
        List<Path> dense = fixture.names().stream().map(t -> fixture.dense.get(t).path()).toList();

        // when
        FileMerge.Result fromAdapters = FileMerge.run(new FileMergeArgs("ties", base, dir.resolve("l.safetensors"), adapters, 0.8,
                OptionalDouble.of(0.5), 0L), MergeMethods.defaults(), manager, "cpu");
        FileMerge.Result fromDense = FileMerge.run(new FileMergeArgs("ties", base, dir.resolve("d.safetensors"), dense, 0.8,
                OptionalDouble.of(0.5), 0L), MergeMethods.defaults(), manager, "cpu");

        // then every output tensor agrees, trunk and copied heads alike
        try (SafetensorsFile a = Safetensors.open(fromAdapters.output()); SafetensorsFile b = Safetensors.open(fromDense.output())) {
            assertThat(a.names()).isEqualTo(b.names()).contains(ExpertLayout.TRUNK0_WEIGHT, "experts.1.head.weight");
            for (String name : b.names()) {
                assertThat(a.read(name).data()).as(name).containsExactly(b.read(name).data(), Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void shouldRefuseAnAdapterFileOfAnotherBaseOnTheCommandLine() {
        // given
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 14L, List.of("task-a"), false);
        LoraAdapter foreign = fixture.adapter("f".repeat(64));
        StoredCheckpoint stored = fixture.store.save("foreign", 1, "LORA_ADAPTER", foreign.tensors(), foreign.metadata());

        // when / then
        assertThatThrownBy(() -> FileMerge.run(new FileMergeArgs("task_arithmetic", fixture.base.path(), dir.resolve("m.safetensors"),
                List.of(stored.path()), 1.0, OptionalDouble.empty(), 0L), MergeMethods.defaults(), manager, "cpu"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(stored.path().toString()).hasMessageContaining("f".repeat(64))
                .hasMessageContaining(fixture.base.sha256());
    }
}
