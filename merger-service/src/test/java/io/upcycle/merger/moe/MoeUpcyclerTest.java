package io.upcycle.merger.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoeUpcyclerTest extends TfEngineTest {
    private static final List<String> TASKS = List.of("task-a", "task-b", "task-c");
    @TempDir
    Path dir;

    private static MoeUpcycler upcycler(MoeFixture fixture, MoeOptions options) {
        return new MoeUpcycler(fixture.store, fixture.tasks::get, manager, "cpu", options);
    }

    @Test
    void shouldRouteEveryTaskToItsOwnAdapterAndMatchTheExpertsWithBothRouters() {
        // given three adapters of one base whose tasks' inputs follow their own adapter's directions
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 21L, TASKS);
        for (String task : TASKS) {
            assertThat(fixture.tasks.get(task).test().labels()).as("both classes occur in " + task).contains(0, 1);
        }

        for (String method : MoeUpcycler.METHODS) {
            // when
            MergeResult result = upcycler(fixture, MoeOptions.defaults()).run(fixture.plan(method), fixture.checkpoints());

            // then each task's test examples go to its own adapter at both layers, so the MoE scores as its expert
            MergeCompleted event = result.event();
            assertThat(event.getMethod()).isEqualTo(method);
            assertThat(event.getParameters()).containsEntry("top_k", "1");
            for (String task : TASKS) {
                assertThat(Double.parseDouble(event.getParameters().get("routing." + task + ".trunk.0"))).as(method + " " + task).isEqualTo(1.0);
                assertThat(Double.parseDouble(event.getParameters().get("routing." + task + ".trunk.1"))).as(method + " " + task).isEqualTo(1.0);
            }
            assertThat(event.getScores()).extracting(TaskScore::getTask).containsExactlyElementsOf(TASKS);
            for (TaskScore score : event.getScores()) {
                assertThat(score.getExpertAccuracy()).as(method).isEqualTo(1.0);
                assertThat(score.getMergedAccuracy()).as(method).isEqualTo(1.0);
                assertThat(score.getNormalizedAccuracy()).isEqualTo(1.0);
                assertThat(score.getExamples()).isEqualTo(30);
                assertThat(score.getDifficulty()).isNull();
            }
            assertThat(event.getExperts()).extracting(e -> e.getRunId().toString()).containsExactly("lora-task-a", "lora-task-b", "lora-task-c");
            assertThat(Files.exists(result.card())).isTrue();
            assertThat(result.output().uri()).isEqualTo(event.getOutputUri());
        }
    }

    @Test
    void shouldScoreBelowTheExpertWhenATaskIsRoutedToAnotherAdapter() {
        // given the fixture's MoE with a router that sends everything to task-a's adapter
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 22L, TASKS);
        List<MoeLayer> layers = new ArrayList<>();
        for (String target : io.upcycle.model.LoraLayout.TARGETS) {
            List<LowRankUpdate> updates = TASKS.stream().map(t -> LowRankUpdate.of(fixture.adapters.get(t), target)).toList();
            var weight = fixture.baseTensors.get(io.upcycle.model.LoraLayout.baseWeight(target));
            int in = (int) weight.shape()[1];
            LinearRouter alwaysA = new LinearRouter(3, in, new float[3 * in], new float[] {1f, 0f, 0f});
            layers.add(new MoeLayer(in, (int) weight.shape()[0], weight.data(), fixture.baseTensors.get(target + ".bias").data(),
                    updates, alwaysA, 1));
        }
        MoeTrunk trunk = new MoeTrunk(fixture.baseTensors.get(ExpertLayout.INPUT_MEAN).data(),
                fixture.baseTensors.get(ExpertLayout.INPUT_STD).data(), layers);
        LoraAdapter b = fixture.adapters.get("task-b");

        // when task-b's test examples are scored with task-b's head
        MoeScoring.TaskResult misrouted = MoeScoring.score(trunk, b.headWeight().data(), b.headBias().data(),
                fixture.tasks.get("task-b").test(), 1);
        MoeScoring.TaskResult own = MoeScoring.score(trunk, fixture.adapters.get("task-a").headWeight().data(),
                fixture.adapters.get("task-a").headBias().data(), fixture.tasks.get("task-a").test(), 0);

        // then routing is 0 and accuracy drops below the expert's 1.0 (so the 1.0 of a well-routed MoE is earned),
        // while task-a, routed to its own adapter, keeps 1.0
        assertThat(misrouted.routingByLayer()).containsExactly(0.0, 0.0);
        assertThat(misrouted.accuracy().value()).isLessThan(0.9);
        assertThat(own.routingByLayer()).containsExactly(1.0, 1.0);
        assertThat(own.accuracy().value()).isEqualTo(1.0);
    }

    @Test
    void shouldWriteBaseTrunkAdaptersRoutersAndHeadsToTheStore() {
        // given
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 23L, TASKS);

        // when
        MergeResult arrow = upcycler(fixture, MoeOptions.defaults()).run(fixture.plan("moe_arrow"), fixture.checkpoints());
        MergeResult router = upcycler(fixture, MoeOptions.defaults()).run(fixture.plan("moe_router"), fixture.checkpoints());

        // then
        assertThat(arrow.output().path()).startsWith(dir.resolve("merges"));
        try (SafetensorsFile file = Safetensors.open(arrow.output().path())) {
            for (String name : ExpertLayout.TRUNK) {
                assertThat(file.read(name).data()).containsExactly(fixture.baseTensors.get(name).data());
            }
            LoraAdapter b = fixture.adapters.get("task-b");
            assertThat(file.read("experts.lora-task-b.trunk.1.lora_A.weight").data()).containsExactly(b.a().get("trunk.1").data());
            assertThat(file.read("experts.lora-task-b.trunk.0.lora_B.weight").data()).containsExactly(b.b().get("trunk.0").data());
            assertThat(file.read("experts.lora-task-b.head.weight").data()).containsExactly(b.headWeight().data());
            assertThat(file.shape("router.trunk.0.prototypes")).containsExactly(3, ExpertLayout.INPUT_DIM);
            assertThat(file.shape("router.trunk.1.prototypes")).containsExactly(3, ExpertLayout.HIDDEN_DIM);
            assertThat(file.metadata()).containsEntry("upcycle.method", "moe_arrow").containsEntry("upcycle.expert.lora-task-b.peft.r", "2");
        }
        try (SafetensorsFile file = Safetensors.open(router.output().path())) {
            assertThat(file.shape("router.trunk.0.weight")).containsExactly(3, ExpertLayout.INPUT_DIM);
            assertThat(file.shape("router.trunk.1.bias")).containsExactly(3);
        }
        assertThat(arrow.event().getMergeId()).isNotEqualTo(router.event().getMergeId());
    }

    @Test
    void shouldRefuseAFullCheckpointNamingItsFile() {
        // given task-b's expert stored as a full (dense) checkpoint
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 24L, List.of("task-a", "task-b"));
        StoredCheckpoint full = fixture.store.save("full-b", 10, "FULL_WEIGHTS",
                fixture.adapters.get("task-b").mergeInto(new ArrayList<>(fixture.baseTensors.values())), Map.of());
        List<ExpertCheckpoint> experts = new ArrayList<>(fixture.checkpoints());
        experts.set(1, new ExpertCheckpoint("lora-task-b", "task-b", 10, full.uri(), full.sha256()));

        // when / then
        assertThatThrownBy(() -> upcycler(fixture, MoeOptions.defaults()).run(fixture.plan("moe_arrow"), experts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(full.path().toString()).hasMessageContaining("not a LoRA adapter");
        assertThat(dir.resolve("merges")).doesNotExist();
    }

    @Test
    void shouldRefuseAnAdapterOfAnotherBaseNamingItsFile() {
        // given
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 25L, List.of("task-a", "task-b"));
        LoraAdapter own = fixture.adapters.get("task-a");
        LoraAdapter foreign = new LoraAdapter(own.rank(), own.alpha(), own.targets(), "e".repeat(64), own.a(), own.b(),
                own.headWeight(), own.headBias());
        StoredCheckpoint stored = fixture.store.save("foreign", 10, "LORA_ADAPTER", foreign.tensors(), foreign.metadata());
        List<ExpertCheckpoint> experts = new ArrayList<>(fixture.checkpoints());
        experts.set(0, new ExpertCheckpoint("lora-task-a", "task-a", 10, stored.uri(), stored.sha256()));

        // when / then
        assertThatThrownBy(() -> upcycler(fixture, MoeOptions.defaults()).run(fixture.plan("moe_router"), experts))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(stored.path().toString()).hasMessageContaining("e".repeat(64));
    }

    @Test
    void shouldRefuseAMethodThatIsNoMoeListingTheKnownOnes() {
        // given
        MoeFixture fixture = new MoeFixture(new CheckpointStore(dir), 26L, List.of("task-a"));

        // when / then
        assertThatThrownBy(() -> upcycler(fixture, MoeOptions.defaults()).run(fixture.plan("ties"), fixture.checkpoints()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moe_arrow, moe_router");
    }
}
