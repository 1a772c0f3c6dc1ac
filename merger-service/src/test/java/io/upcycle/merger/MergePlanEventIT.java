package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.merger.service.MergerService;
import io.upcycle.merger.service.MergerServiceIT;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalStackExtension.class)
class MergePlanEventIT {

    @Test
    void shouldMergeOnceWhenAPlanEventFiresOnOneOfTwoRunsAfterItsTimeoutAndNotAgainAfterARestart(StackEndpoints stack,
                                                                                              @TempDir Path dir) throws Exception {
        // given a real broker and registry, a MergeRequested for 1 of 2 runs with a 300 ms timeout,
        // one real stop decision, and a plan naming an unknown method
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 3);
        Topics topics = Topics.connect(connection);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String runA = "run-a-" + suffix;
        String runB = "run-b-" + suffix;
        String planId = "event-plan-" + suffix;
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 13L, List.of(runA, runB));
        MergePlan base = fixture.plan(planId);
        MergeRequested request = MergeRequested.newBuilder().setPlanId(planId).setRunIds(List.of(runA, runB))
                .setMethods(List.of("task_arithmetic")).setMinRuns(1).setTimeoutMs(300L).setBaseUri(base.baseUri())
                .setBaseSha256(base.baseSha256()).setTags(Map.of("study.id", "it-" + suffix)).build();
        MergeRequested bad = MergeRequested.newBuilder(request).setPlanId("bad-" + suffix).setMethods(List.of("tiez")).build();
        MergerConfig config = MergerConfig.from(Map.of(
                "bootstrap.servers", connection.bootstrapServers(), "schema.registry.url", connection.registryUrl(),
                "group.id", "merger-plans-it-" + suffix, "lambdas", "0.5,1.0",
                "checkpoint.root", dir.toString()));
        try (EventProducer producer = new EventProducer(connection); NDManager manager = TfManager.open()) {
            long now = System.currentTimeMillis();
            producer.send(topics.mergePlans(), planId, request, now);
            producer.send(topics.mergePlans(), bad.getPlanId(), bad, now);
            producer.send(topics.stopDecisions(), runB, fixture.decision(runB), now);
            producer.flush();
            MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                    config.options());

            // when
            List<MergeResult> first = new MergerService(config, runner, MergerService.kafkaSink(producer, topics))
                    .run(topics, producer, Duration.ofSeconds(60), Set.of(planId));
            producer.send(topics.stopDecisions(), runA, fixture.decision(runA), System.currentTimeMillis()).get();
            MergerService restarted = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
            List<MergeResult> second = restarted.run(topics, producer, Duration.ofSeconds(60), Set.of(planId));
            producer.flush();

            // then one merge of run-b alone, with the plan's tags, and nothing from the restart
            assertThat(first).singleElement().satisfies(result -> {
                assertThat(result.event().getExperts()).extracting(e -> e.getRunId()).containsExactly(runB);
                assertThat(result.event().getParameters()).containsEntry("plan.runs.merged", "1/2");
                assertThat(result.event().getTags()).containsEntry("study.id", "it-" + suffix);
            });
            assertThat(second).isEmpty();
            assertThat(restarted.fired(planId)).isTrue();
            List<MergeCompleted> merges = MergerServiceIT.readAll(connection, topics.mergeResults(), suffix).stream()
                    .map(ConsumerRecord::value).filter(m -> m.getPlanId().equals(planId)).toList();
            assertThat(merges).singleElement().satisfies(m -> assertThat(m.getMergeId())
                    .isEqualTo(first.get(0).event().getMergeId()));

            // and the plan with an unknown method was dead-lettered once, naming the method, though both starts read it
            List<DeadLetter> deadLetters = MergerServiceIT.readAll(connection, topics.deadLetters(), suffix).stream()
                    .map(ConsumerRecord::value).filter(d -> d.getKey() != null
                            && StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString().equals(bad.getPlanId()))
                    .toList();
            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.getSourceTopic()).isEqualTo(Topics.MERGE_PLANS);
                assertThat(d.getStage()).isEqualTo(DeadLetters.VALIDATION);
                assertThat(d.getErrorMessage()).contains("tiez");
            });
        }
    }
}
