package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.merger.plan.PlanMethods;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.merger.service.MergeHistory;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.merger.service.MergerService;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoePlanTest extends TfEngineTest {
    @TempDir
    Path dir;
    private final List<MergeCompleted> published = new ArrayList<>();

    private MergerService service(TinyLora fixture) {
        MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", "127.0.0.1:9",
                "schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7", "checkpoint.root", dir.toString()));
        PlanMethods methods = new PlanMethods(List.of(
                new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                        new MergeOptions(List.of(0.5, 1.0), 64, 7L, OptionalDouble.empty())),
                new MoeUpcycler(fixture.store, fixture.tasks::get, manager, "cpu", MoeOptions.defaults())));
        return new MergerService(config, methods, published::add, new MergeHistory(), System::currentTimeMillis);
    }

    private static PlanSpec plan(TinyLora fixture, String planId, String kind, List<String> methods) {
        return new PlanSpec(planId, fixture.names().stream().map(t -> kind + "-" + t).toList(), methods, 0, Duration.ZERO,
                fixture.base.uri(), fixture.base.sha256(), Map.of("study.id", "moe-study"));
    }

    private static StopDecision decision(String run, String task, StoredCheckpoint checkpoint) {
        return StopDecision.newBuilder().setDecisionId(run + "/test/10").setRunId(run).setTask(task).setDecidedAtStep(12)
                .setCheckpointStep(10L).setCheckpointUri(checkpoint.uri()).setCheckpointSha256(checkpoint.sha256())
                .setPolicy("test").setPolicyVersion(1).setMode(DecisionMode.ENFORCE).setReason("test").build();
    }

    private static void decideAll(MergerService service, TinyLora fixture) {
        for (String task : fixture.names()) {
            service.accept(decision("lora-" + task, task, fixture.adapters.get(task)));
            service.accept(decision("dense-" + task, task, fixture.dense.get(task)));
        }
    }

    @Test
    void shouldUpcycleTheLoraExpertsIntoAMoeBesideAMergeWhenAPlanNamesMoeArrow() throws Exception {
        // given a plan over two LoRA runs naming a weight merge and the Arrow MoE
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 31L, List.of("task-a", "task-b"));
        MergerService service = service(fixture);
        service.addPlan(plan(fixture, "lora-plan", "lora", List.of("task_arithmetic", "moe_arrow")));

        // when both runs have stopped
        decideAll(service, fixture);

        // then both methods are published with the plan's tags and parameters, the MoE's card holding them too
        assertThat(service.failure("lora-plan")).isEmpty();
        assertThat(published).extracting(MergeCompleted::getMethod).containsExactly("task_arithmetic", "moe_arrow");
        MergeCompleted moe = published.get(1);
        assertThat(moe.getTags()).containsEntry("study.id", "moe-study");
        assertThat(moe.getParameters()).containsEntry("plan.runs.merged", "2/2").containsEntry("top_k", "1")
                .containsKey("routing.task-a.trunk.0");
        assertThat(moe.getExperts()).extracting(e -> e.getRunId()).containsExactly("lora-task-a", "lora-task-b");
        Path card = CheckpointStore.toPath(moe.getOutputUri()).resolveSibling(moe.getMergeId() + ".json");
        assertThat(Files.readString(card)).contains("moe-study").contains("plan.runs.merged");
    }

    @Test
    void shouldFailOnlyTheMoePlanWhenItsExpertsAreNotLoraAdapters() {
        // given a MoE plan and a merge plan, both over the dense (full-weight) experts
        TinyLora fixture = new TinyLora(new CheckpointStore(dir), 32L, List.of("task-a", "task-b"));
        MergerService service = service(fixture);
        service.addPlan(plan(fixture, "dense-moe", "dense", List.of("moe_router")));
        service.addPlan(plan(fixture, "dense-average", "dense", List.of("average")));

        // when both runs have stopped
        decideAll(service, fixture);

        // then the MoE plan failed naming the non-LoRA checkpoint, and the other plan was merged
        assertThat(service.fired("dense-moe")).isTrue();
        assertThat(service.failure("dense-moe")).get().extracting(Throwable::getMessage).asString()
                .contains("is not a LoRA adapter").contains("dense-task-a");
        assertThat(service.failure("dense-average")).isEmpty();
        assertThat(published).extracting(MergeCompleted::getPlanId).containsExactly("dense-average");
    }
}
