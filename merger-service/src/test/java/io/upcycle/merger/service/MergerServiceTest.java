package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.merger.TinyExperts;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.merger.service.MergeHistory;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.merger.service.MergerService;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergerServiceTest extends TfEngineTest {
    @TempDir
    Path dir;
    private final List<MergeCompleted> published = new ArrayList<>();

    private MergerService service(TinyExperts fixture) {
        return service(fixture, true, new MergeHistory(), System::currentTimeMillis);
    }

    private MergerService service(TinyExperts fixture, boolean configuredPlan, MergeHistory history, LongSupplier clock) {
        MergePlan plan = fixture.plan("plan-s");
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", "127.0.0.1:9", "schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7",
                "lambdas", "0.5,1.0", "checkpoint.root", dir.toString()));
        if (configuredPlan) {
            values.putAll(Map.of("plan.id", plan.planId(), "plan.runs", String.join(",", plan.runIds()),
                    "plan.base.uri", plan.baseUri(), "plan.base.sha256", plan.baseSha256()));
        }
        MergerConfig config = MergerConfig.from(values);
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                config.options());
        return new MergerService(config, runner, published::add, history, clock);
    }

    @Test
    void shouldMergeOnceWhenEveryRunOfThePlanHasADecisionEvenIfDecisionsAreReplayed() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 4L, List.of("run-a", "run-b"));
        MergerService service = service(fixture);
        StopDecision otherRun = StopDecision.newBuilder(fixture.decision("run-a")).setRunId("run-z").build();

        // when
        List<MergeResult> afterFirst = service.accept(fixture.decision("run-a"));
        List<MergeResult> afterOther = service.accept(otherRun);
        List<MergeResult> afterReplay = service.accept(fixture.decision("run-a"));
        List<MergeResult> afterSecond = service.accept(fixture.decision("run-b"));
        List<MergeResult> afterLateReplay = service.accept(fixture.decision("run-b"));

        // then
        assertThat(afterFirst).isEmpty();
        assertThat(afterOther).isEmpty();
        assertThat(afterReplay).isEmpty();
        assertThat(afterSecond).hasSize(1);
        assertThat(afterLateReplay).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getPlanId()).isEqualTo("plan-s");
        assertThat(published.get(0).getMergeId()).isEqualTo(afterSecond.get(0).event().getMergeId());
        assertThat(published.get(0).getParameters()).containsEntry("plan.runs.merged", "2/2");
        assertThat(service.fired("plan-s")).isTrue();
    }

    @Test
    void shouldMergeAConfiguredPlanThatNamesNoBaseAgainstTheBaseItsExpertsNameInTheirCheckpoints() {
        // given a plan configured by its runs alone (as compose.yaml's merger is) over experts that name their base
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 4L, List.of("run-a", "run-b"));
        MergePlan withBase = fixture.plan("plan-s");
        MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", "127.0.0.1:9",
                "schema.registry.url", "http://127.0.0.1:9/apis/ccompat/v7", "lambdas", "0.5,1.0", "checkpoint.root", dir.toString(),
                "plan.id", "plan-s", "plan.runs", "run-a,run-b"));
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                config.options());
        MergerService service = new MergerService(config, runner, published::add, new MergeHistory(), System::currentTimeMillis);

        // when both runs are decided
        service.accept(fixture.decision("run-a"));
        List<MergeResult> merged = service.accept(fixture.decision("run-b"));

        // then it merged against that base: the same scores and lambda as the plan naming the base file
        assertThat(config.plan().orElseThrow().baseFromExperts()).isTrue();
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).event().getBaseSha256()).isEqualTo(withBase.baseSha256());
        MergeRunner named = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                config.options());
        MergeResult reference = named.run(withBase, List.of(ExpertCheckpoint.from(fixture.decision("run-a")),
                ExpertCheckpoint.from(fixture.decision("run-b"))));
        assertThat(merged.get(0).event().getScores()).isEqualTo(reference.event().getScores());
        assertThat(merged.get(0).lambda()).isEqualTo(reference.lambda());
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
        List<MergeResult> result = service.accept(withoutCheckpoint);

        // then
        assertThat(result).isEmpty();
        assertThat(service.missingRuns("plan-s")).containsExactly("run-b");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldFireAPlanFromAnEventWithTheDecidedRunsOncePerMethodAfterItsTimeout() throws Exception {
        // given no configured plan, a MergeRequested for 1 of 2 runs with a 1 s timeout and two methods
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 6L, List.of("run-a", "run-b"));
        AtomicLong now = new AtomicLong(10_000);
        MergerService service = service(fixture, false, new MergeHistory(), now::get);
        MergePlan base = fixture.plan("from-event");
        MergeRequested request = MergeRequested.newBuilder().setPlanId("from-event").setRunIds(base.runIds())
                .setMethods(List.of("task_arithmetic", "ties")).setMinRuns(1).setTimeoutMs(1_000L).setBaseUri(base.baseUri())
                .setBaseSha256(base.baseSha256()).setTags(Map.of("study.id", "s1")).build();

        // when
        List<MergeResult> onPlan = service.addPlan(PlanSpec.from(request));
        List<MergeResult> onDecision = service.accept(fixture.decision("run-b"), 10_000);
        now.set(10_999);
        List<MergeResult> beforeTimeout = service.tick();
        now.set(11_000);
        List<MergeResult> atTimeout = service.tick();
        List<MergeResult> afterLateRun = service.accept(fixture.decision("run-a"), 11_500);

        // then one merge per method, of run-b only, with the plan's tags in event and card; the late run merges nothing
        assertThat(onPlan).isEmpty();
        assertThat(onDecision).isEmpty();
        assertThat(beforeTimeout).isEmpty();
        assertThat(atTimeout).extracting(r -> r.event().getMethod()).containsExactly("task_arithmetic", "ties");
        assertThat(afterLateRun).isEmpty();
        assertThat(published).hasSize(2).allSatisfy(event -> {
            assertThat(event.getPlanId()).isEqualTo("from-event");
            assertThat(event.getExperts()).extracting(e -> e.getRunId()).containsExactly("run-b");
            assertThat(event.getParameters()).containsEntry("plan.runs.merged", "1/2").containsEntry("plan.min.runs", "1")
                    .containsEntry("plan.timeout.ms", "1000");
            assertThat(event.getTags()).containsEntry("study.id", "s1");
        });
        assertThat(published.get(0).getMergeId()).isNotEqualTo(published.get(1).getMergeId());
        for (MergeResult result : atTimeout) {
            JsonNode card = new ObjectMapper().readTree(result.card().toFile());
            assertThat(card.path("tags").path("study.id").asText()).isEqualTo("s1");
            assertThat(card.path("parameters").path("plan.runs.merged").asText()).isEqualTo("1/2");
            assertThat(card.path("parameters").path("plan.timeout.ms").asText()).isEqualTo("1000");
        }
    }

    @Test
    void shouldFireAConfiguredPlanAndAPlanFromAnEventThatShareARunOnTheSameDecision() {
        // given plan-s (run-a, run-b) from config and solo-b (run-b) from an event
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 7L, List.of("run-a", "run-b"));
        MergerService service = service(fixture, true, new MergeHistory(), System::currentTimeMillis);
        MergePlan base = fixture.plan("solo-b");
        service.addPlan(new PlanSpec("solo-b", List.of("run-b"), List.of("average"), 0, Duration.ZERO, base.baseUri(),
                base.baseSha256(), Map.of()));
        service.accept(fixture.decision("run-a"));

        // when
        List<MergeResult> results = service.accept(fixture.decision("run-b"));

        // then
        assertThat(results).extracting(r -> r.event().getPlanId()).containsExactly("plan-s", "solo-b");
        assertThat(published).extracting(MergeCompleted::getPlanId).containsExactly("plan-s", "solo-b");
    }

    @Test
    void shouldPublishNothingAfterARestartWhenThePlanIsAlreadyOnTheMergeResults() {
        // given a first service that merged plan-s, and the result it published as the restart's history
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 8L, List.of("run-a", "run-b"));
        MergerService first = service(fixture);
        first.accept(fixture.decision("run-a"));
        first.accept(fixture.decision("run-b"));
        MergeHistory history = new MergeHistory();
        published.forEach(history::record);
        MergeCompleted original = published.get(0);
        published.clear();
        MergerService restarted = service(fixture, true, history, System::currentTimeMillis);

        // when the restarted service replays the decisions and the same plan arrives again as an event
        List<MergeResult> afterTick = restarted.tick();
        List<MergeResult> afterA = restarted.accept(fixture.decision("run-a"));
        List<MergeResult> afterB = restarted.accept(fixture.decision("run-b"));
        List<MergeResult> afterPlan = restarted.addPlan(PlanSpec.of(fixture.plan("plan-s")));

        // then nothing new is merged or published, and the plan counts as fired
        assertThat(afterTick).isEmpty();
        assertThat(afterA).isEmpty();
        assertThat(afterB).isEmpty();
        assertThat(afterPlan).isEmpty();
        assertThat(published).isEmpty();
        assertThat(restarted.fired("plan-s")).isTrue();
        assertThat(history.find("plan-s", "task_arithmetic").orElseThrow().mergeId()).isEqualTo(original.getMergeId());
    }

    @Test
    void shouldRefuseADecisionNamingAFileOutsideTheCheckpointStoreAndPublishNothing(@TempDir Path outside) throws Exception {
        // given a decision whose checkpoint is a faithful copy outside the store, with the copy's own (correct) sha256
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 9L, List.of("run-a", "run-b"));
        MergerService service = service(fixture);
        StopDecision honest = fixture.decision("run-b");
        Path copy = java.nio.file.Files.copy(CheckpointStore.toPath(honest.getCheckpointUri()), outside.resolve("stolen.safetensors"));
        StopDecision elsewhere = StopDecision.newBuilder(honest).setCheckpointUri(copy.toUri().toString()).build();

        // when
        service.accept(fixture.decision("run-a"));
        List<MergeResult> results = service.accept(elsewhere);

        // then the plan failed naming the uri and the store, and nothing was published
        assertThat(results).isEmpty();
        assertThat(published).isEmpty();
        assertThat(service.failure("plan-s")).get().extracting(Throwable::getMessage).asString()
                .contains("refusing checkpoint uri " + copy.toUri()).contains("outside the readable roots [" + dir + "]");
    }

    @Test
    void shouldReadOnlyUnderTheCheckpointRootAndTheBaseCacheByDefault() {
        // when
        MergerConfig config = MergerConfig.from(Map.of("checkpoint.root", dir.toString()));
        MergerConfig narrowed = MergerConfig.from(Map.of("checkpoint.root", dir.toString(), "checkpoint.read.roots", "/srv/a,/srv/b"));

        // then
        assertThat(config.store().readableRoots()).containsExactly(dir, CheckpointStore.baseCache().toAbsolutePath().normalize());
        assertThat(narrowed.store().readableRoots()).containsExactly(Path.of("/srv/a"), Path.of("/srv/b"));
        assertThat(narrowed.store().root()).isEqualTo(dir);
    }
}
