package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergerServiceTest {
    private static NDManager manager;
    @TempDir
    Path dir;
    private final List<MergeCompleted> published = new ArrayList<>();

    @BeforeAll
    static void openEngine() {
        manager = TfManager.open();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    private MergerService service(TinyExperts fixture) {
        MergePlan plan = fixture.plan("plan-s");
        MergerConfig config = MergerConfig.from(Map.of(
                "bootstrap.servers", "127.0.0.1:9", "schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7",
                "merger.plan.id", plan.planId(), "merger.plan.runs", String.join(",", plan.runIds()),
                "merger.plan.base.uri", plan.baseUri(), "merger.plan.base.sha256", plan.baseSha256(),
                "merger.lambdas", "0.5,1.0", "merger.checkpoint.root", dir.toString()));
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                config.options());
        return new MergerService(config, runner, published::add);
    }

    @Test
    void shouldMergeOnceWhenEveryRunOfThePlanHasADecisionEvenIfDecisionsAreReplayed() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 4L, List.of("run-a", "run-b"));
        MergerService service = service(fixture);
        StopDecision otherRun = StopDecision.newBuilder(fixture.decision("run-a")).setRunId("run-z").build();

        // when
        Optional<MergeResult> afterFirst = service.accept(fixture.decision("run-a"));
        Optional<MergeResult> afterOther = service.accept(otherRun);
        Optional<MergeResult> afterReplay = service.accept(fixture.decision("run-a"));
        Optional<MergeResult> afterSecond = service.accept(fixture.decision("run-b"));
        Optional<MergeResult> afterLateReplay = service.accept(fixture.decision("run-b"));

        // then
        assertThat(afterFirst).isEmpty();
        assertThat(afterOther).isEmpty();
        assertThat(afterReplay).isEmpty();
        assertThat(afterSecond).isPresent();
        assertThat(afterLateReplay).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getPlanId()).isEqualTo("plan-s");
        assertThat(published.get(0).getMergeId()).isEqualTo(afterSecond.orElseThrow().event().getMergeId());
    }

    @Test
    void shouldKeepWaitingWhenADecisionNamesNoCheckpoint() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 5L, List.of("run-a", "run-b"));
        MergerService service = service(fixture);
        StopDecision withoutCheckpoint = StopDecision.newBuilder(fixture.decision("run-b"))
                .setCheckpointUri(null).setCheckpointSha256(null).setCheckpointStep(null).build();

        // when
        service.accept(fixture.decision("run-a"));
        Optional<MergeResult> result = service.accept(withoutCheckpoint);

        // then
        assertThat(result).isEmpty();
        assertThat(service.missingRuns()).containsExactly("run-b");
        assertThat(published).isEmpty();
    }
}
