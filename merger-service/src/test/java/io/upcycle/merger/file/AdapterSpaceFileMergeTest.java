package io.upcycle.merger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.RandomAdapters;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.TinyLora;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.file.FileMergeYaml;
import io.upcycle.merger.file.MergeFilesCommand;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterSpaceFileMergeTest extends TfEngineTest {
    @TempDir
    Path dir;

    private FileMerge.Result merge(String... args) {
        return FileMerge.run(MergeFilesCommand.parse(args), MergeMethods.defaults(), manager, "cpu");
    }

    private Path save(String name, LoraAdapter adapter) {
        Path path = dir.resolve(name + ".safetensors");
        Safetensors.write(path, adapter.tensors(), adapter.metadata());
        return path;
    }

    @Test
    void shouldWriteOneAdapterWhoseDenseExpertIsTheTaskArithmeticOfTheInputs() throws IOException {
        // given a base and two adapters of it with different ranks and alphas
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 21L, List.of(), false);
        Path base = fixture.base.path();
        Path first = save("first", RandomAdapters.adapter(5, 2, 4f, LoraLayout.TARGETS, fixture.base.sha256(), 2));
        Path second = save("second", RandomAdapters.adapter(6, 4, 3f, LoraLayout.TARGETS, fixture.base.sha256(), 3));
        Path out = dir.resolve("out/merged.safetensors");

        // when
        FileMerge.Result result = merge("--method", "task_arithmetic", "--adapter-space", "--base", base.toString(),
                "--out", out.toString(), "--lambda", "0.6", first.toString(), second.toString());
        Path dense = merge("--method", "task_arithmetic", "--base", base.toString(), "--out", dir.resolve("dense.safetensors").toString(),
                "--lambda", "0.6", first.toString(), second.toString()).output();

        // then the output is a LoRA adapter of rank 6 with alpha 6 on the same base and targets
        try (SafetensorsFile merged = Safetensors.open(out); SafetensorsFile b = Safetensors.open(base);
             SafetensorsFile e1 = Safetensors.open(first); SafetensorsFile e2 = Safetensors.open(second);
             SafetensorsFile d = Safetensors.open(dense)) {
            assertThat(ExpertTensors.isLora(merged)).isTrue();
            LoraAdapter adapter = LoraAdapter.read(merged);
            assertThat(adapter.rank()).isEqualTo(6);
            assertThat(adapter.alpha()).isEqualTo(6f);
            assertThat(merged.metadata()).containsEntry(LoraLayout.META_TARGETS, "trunk.0,trunk.1")
                    .containsEntry(LoraLayout.META_BASE_SHA256, fixture.base.sha256())
                    .containsEntry("upcycle.adapter_space", "true").containsEntry("upcycle.adapter_space.ranks", "2,4")
                    .containsEntry("upcycle.method", "task_arithmetic").containsKey("upcycle.heads");
            // and its dense expert read back by ExpertTensors is W + 0.6 * (dW_1 + dW_2) of the inputs' dense experts
            ExpertTensors read = ExpertTensors.of(merged, b, fixture.base.sha256());
            ExpertTensors x1 = ExpertTensors.of(e1, b, fixture.base.sha256());
            ExpertTensors x2 = ExpertTensors.of(e2, b, fixture.base.sha256());
            for (String name : ExpertLayout.TRUNK) {
                float[] w = b.read(name).data();
                float[] d1 = x1.read(name).data();
                float[] d2 = x2.read(name).data();
                float[] expected = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    expected[i] = (float) (w[i] + 0.6 * ((d1[i] - w[i]) + (d2[i] - w[i])));
                }
                assertThat(read.read(name).data()).as(name).containsExactly(expected, Offset.offset(1e-5f));
                // and it agrees with the merge on the dense expert files
                assertThat(read.read(name).data()).as(name).containsExactly(d.read(name).data(), Offset.offset(1e-5f));
            }
            // and every task's head is kept under experts.<i>.head.*
            assertThat(merged.read("experts.0.head.weight").data()).containsExactly(e1.read(LoraLayout.HEAD_WEIGHT).data());
            assertThat(merged.read("experts.1.head.bias").data()).containsExactly(e2.read(LoraLayout.HEAD_BIAS).data());
            assertThat(merged.read("experts.1.head.weight").data()).containsExactly(d.read("experts.1.head.weight").data());
            assertThat(read.read(ExpertLayout.HEAD_WEIGHT).data()).containsExactly(e1.read(LoraLayout.HEAD_WEIGHT).data());
        }
        // and the card says it was an adapter-space merge
        assertThat(new ObjectMapper().readTree(Files.readString(result.card())).path("adapterSpace").asBoolean()).isTrue();
        assertThat(result.mergedTensors()).isEqualTo(4);
        assertThat(result.copiedTensors()).isEqualTo(4);
    }

    @Test
    void shouldAverageAdapterFilesWithOneOverN() {
        // given
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 22L, List.of(), false);
        String base = fixture.base.path().toString();
        Path first = save("first", RandomAdapters.adapter(7, 3, 2f, LoraLayout.TARGETS, fixture.base.sha256(), 2));
        Path second = save("second", RandomAdapters.adapter(8, 1, 8f, LoraLayout.TARGETS, fixture.base.sha256(), 2));

        // when
        Path average = merge("--method", "average", "--adapter-space", "--base", base, "--out", dir.resolve("avg.safetensors").toString(),
                first.toString(), second.toString()).output();
        Path half = merge("--method", "task_arithmetic", "--adapter-space=true", "--lambda", "0.5", "--base", base,
                "--out", dir.resolve("half.safetensors").toString(), first.toString(), second.toString()).output();

        // then
        try (SafetensorsFile a = Safetensors.open(average); SafetensorsFile h = Safetensors.open(half)) {
            assertThat(a.metadata()).containsEntry("upcycle.adapter_space.lambda", "0.5");
            for (String target : LoraLayout.TARGETS) {
                assertThat(a.read(LoraLayout.loraA(target)).data()).containsExactly(h.read(LoraLayout.loraA(target)).data());
                assertThat(a.read(LoraLayout.loraB(target)).data()).containsExactly(h.read(LoraLayout.loraB(target)).data());
            }
        }
    }

    @Test
    void shouldRefuseTiesFullCheckpointsAndForeignAdaptersInAdapterSpace() {
        // given
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 23L, List.of(), false);
        String base = fixture.base.path().toString();
        String out = dir.resolve("m.safetensors").toString();
        Path adapter = save("adapter", RandomAdapters.adapter(9, 2, 4f, LoraLayout.TARGETS, fixture.base.sha256(), 2));
        Path foreign = save("foreign", RandomAdapters.adapter(10, 2, 4f, LoraLayout.TARGETS, "c".repeat(64), 2));
        Path full = dir.resolve("full.safetensors");
        Safetensors.write(full, List.of(Tensor.of(ExpertLayout.TRUNK0_BIAS, new float[256], 256)), Map.of());

        // when / then
        assertThatThrownBy(() -> merge("--method", "ties", "--adapter-space", "--base", base, "--out", out, adapter.toString()))
                .hasMessageContaining("method 'ties' cannot merge LoRA adapters in adapter space")
                .hasMessageContaining("sign election");
        assertThatThrownBy(() -> merge("--method", "task_arithmetic", "--adapter-space", "--base", base, "--out", out,
                adapter.toString(), full.toString()))
                .hasMessageContaining("--adapter-space merges LoRA adapters only, but " + full + " is not one")
                .hasMessageContaining(LoraLayout.META_PEFT_TYPE);
        assertThatThrownBy(() -> merge("--method", "task_arithmetic", "--adapter-space", "--base", base, "--out", out,
                adapter.toString(), foreign.toString()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(foreign.toString()).hasMessageContaining("c".repeat(64)).hasMessageContaining(fixture.base.sha256());
        assertThat(Path.of(out)).doesNotExist();
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "average", "--adapter-space=maybe", "--base", base,
                "--out", out, adapter.toString()})).hasMessageContaining("--adapter-space must be true or false");
    }

    @Test
    void shouldReadAdapterSpaceFromAYamlPlanAndRefuseItForDare() {
        // given
        String plan = """
                merge_method: %s
                base_model: base.safetensors
                models:
                  - model: a.safetensors
                adapter_space: true
                out: m.safetensors
                """;

        // when
        FileMergeArgs args = FileMergeYaml.parse(plan.formatted("task_arithmetic"), "plan.yaml", dir, MergeMethods.defaults());

        // then
        assertThat(args.adapterSpace()).isTrue();
        assertThat(FileMergeYaml.parse(plan.formatted("average").replace("true", "false"), "plan.yaml", dir, MergeMethods.defaults())
                .adapterSpace()).isFalse();
        assertThatThrownBy(() -> FileMergeYaml.parse(plan.formatted("dare_ties"), "plan.yaml", dir, MergeMethods.defaults()))
                .hasMessageContaining("merge plan plan.yaml line 5: adapter_space: method 'dare_ties' cannot merge LoRA adapters");
    }
}
