package io.upcycle.merger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.TinyLora;
import io.upcycle.merger.file.FileMerge;
import io.upcycle.merger.file.MergeFilesCommand;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoeFileUpcycleTest extends TfEngineTest {
    @TempDir
    Path dir;

    private FileMerge.Result merge(String... args) {
        return FileMerge.run(MergeFilesCommand.parse(args), MergeMethods.defaults(), manager, "cpu");
    }

    @Test
    void shouldWriteTheSameArrowMoeAsTheServiceWithACardWhenFilesAreMergedWithMoeArrow() throws Exception {
        // given a base and two LoRA adapters of it, as files
        TinyLora fixture = new TinyLora(new CheckpointStore(dir.resolve("store")), 41L, List.of("task-a", "task-b"));
        Path a = fixture.adapters.get("task-a").path();
        Path b = fixture.adapters.get("task-b").path();
        Path out = dir.resolve("moe.safetensors");

        // when the files are upcycled, and the service upcycles the same adapters with the same seed
        FileMerge.Result result = merge("--method", "moe_arrow", "--base", fixture.base.path().toString(), "--out", out.toString(),
                "--seed", "3", a.toString(), b.toString());
        MergeResult service = new MoeUpcycler(fixture.store, fixture.tasks::get, manager, "cpu",
                new MoeOptions(1, 3L, 10, 0.05, 64)).run(new MergePlan("moe", List.of("lora-task-a", "lora-task-b"), "moe_arrow",
                fixture.base.uri(), fixture.base.sha256()), List.of(fixture.checkpoint("lora-task-a", "task-a", fixture.adapters.get("task-a")),
                fixture.checkpoint("lora-task-b", "task-b", fixture.adapters.get("task-b"))));

        // then the file holds the base trunk, each adapter and head by index, and the service's routers
        try (SafetensorsFile moe = Safetensors.open(out); SafetensorsFile fromService = Safetensors.open(service.output().path());
             SafetensorsFile adapterB = Safetensors.open(b)) {
            LoraAdapter second = LoraAdapter.read(adapterB);
            assertThat(moe.read(ExpertLayout.TRUNK0_WEIGHT).data()).containsExactly(fixture.baseTensors.get(ExpertLayout.TRUNK0_WEIGHT).data());
            assertThat(moe.read("experts.1.trunk.0.lora_A.weight").data()).containsExactly(second.a().get("trunk.0").data());
            assertThat(moe.read("experts.1.head.weight").data()).containsExactly(second.headWeight().data());
            for (String router : List.of("router.trunk.0.prototypes", "router.trunk.1.prototypes")) {
                assertThat(moe.read(router).data()).as(router).containsExactly(fromService.read(router).data());
            }
            assertThat(moe.shape("router.trunk.0.prototypes")).containsExactly(2, ExpertLayout.INPUT_DIM);
            assertThat(moe.metadata()).containsEntry("upcycle.method", "moe_arrow").containsEntry("upcycle.parameter.top_k", "1")
                    .containsEntry("upcycle.expert.1.peft.r", Integer.toString(TinyLora.RANK));
        }
        // and the card names the method, its paper and every input's hash
        JsonNode card = new ObjectMapper().readTree(result.card().toFile());
        assertThat(card.path("method").asText()).isEqualTo("moe_arrow");
        assertThat(card.path("referenceUrl").asText()).startsWith("https://arxiv.org/");
        assertThat(card.path("parameters").path("router.seed").asText()).isEqualTo("3");
        assertThat(card.path("experts").get(1).path("sha256").asText()).isEqualTo(fixture.adapters.get("task-b").sha256());
        assertThat(card.path("output").path("sha256").asText()).isEqualTo(result.outputSha256());
    }

    @Test
    void shouldRefuseTheTrainedRouterFullCheckpointsAndMergeOptionsOnFilesSayingWhy() {
        // given
        TinyLora fixture = new TinyLora(new CheckpointStore(dir.resolve("store")), 42L, List.of("task-a", "task-b"));
        String base = fixture.base.path().toString();
        String adapter = fixture.adapters.get("task-a").path().toString();
        String dense = fixture.dense.get("task-b").path().toString();
        String out = dir.resolve("moe.safetensors").toString();

        // when / then
        assertThatThrownBy(() -> merge("--method", "moe_router", "--base", base, "--out", out, adapter))
                .hasMessageContaining("moe_router trains its router").hasMessageContaining("merge plan");
        assertThatThrownBy(() -> merge("--method", "moe_arrow", "--base", base, "--out", out, adapter, dense))
                .hasMessageContaining("moe_arrow upcycles LoRA adapters only, but " + dense + " is not one");
        assertThatThrownBy(() -> merge("--method", "moe_arrow", "--base", base, "--out", out, "--density", "0.5", adapter))
                .hasMessageContaining("takes no --lambda, --density, --trim-scope or --adapter-space");
        assertThatThrownBy(() -> merge("--method", "moe_arrow", "--base", base, "--out", out, "--trim-scope", "global", adapter))
                .hasMessageContaining("takes no --lambda, --density, --trim-scope or --adapter-space");
    }
}
