package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.TfManager;
import io.upcycle.merger.TinyExperts;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.testing.FaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop decisions the merger cannot decode while the registry is down are merged once it is back, never dead-lettered. */
class MergerRegistryOutageIT {
    @Test
    void shouldMergeDecisionsPublishedDuringARegistryOutageOnceTheRegistryIsBack(@TempDir Path dir) throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             NDManager manager = TfManager.open()) {
            // given a running merger whose registry client has seen no schema, and a monitor-side producer
            // that registered its schemas before the registry went down
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics.ensureCreated(connection, 1);
            Topics producerTopics = Topics.connect(connection);
            TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 13L, List.of("run-a", "run-b"));
            MergePlan plan = fixture.plan("outage-plan");
            MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", connection.bootstrapServers(),
                    "schema.registry.url", connection.registryUrl(), "group.id", "merger-outage", "plan.id", plan.planId(),
                    "plan.runs", String.join(",", plan.runIds()), "plan.base.uri", plan.baseUri(),
                    "plan.base.sha256", plan.baseSha256(), "lambdas", "0.5,1.0"));
            try (EventProducer producer = new EventProducer(connection)) {
                producer.prepare(List.of(producerTopics.stopDecisions(), producerTopics.mergeResults(), producerTopics.deadLetters()));
                MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                        config.options());
                MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, producerTopics));
                Topics mergerTopics = Topics.connect(connection);
                CompletableFuture<List<MergeResult>> merging = CompletableFuture.supplyAsync(
                        () -> service.runOnce(mergerTopics, producer, Duration.ofSeconds(150)));
                stack.stopRegistry();

                // when both decisions arrive during a 15 s outage
                producer.send(producerTopics.stopDecisions(), "run-a", fixture.decision("run-a"), System.currentTimeMillis());
                producer.send(producerTopics.stopDecisions(), "run-b", fixture.decision("run-b"), System.currentTimeMillis());
                producer.flush();

                // then nothing is merged while they cannot be decoded, all through the outage ...
                await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !service.fired(plan.planId()) && !merging.isDone());

                // ... and the plan fires once the registry is back, with no dead letter
                stack.startRegistry();
                List<MergeResult> results = merging.get(120, TimeUnit.SECONDS);
                assertThat(results).hasSize(1);
                producer.flush();
            }
            List<MergeCompleted> merges = MergerServiceIT.readAll(connection, producerTopics.mergeResults(), "outage").stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(merges).singleElement().extracting(MergeCompleted::getPlanId).isEqualTo(plan.planId());
            assertThat(MergerServiceIT.readAll(connection, producerTopics.deadLetters(), "outage")).isEmpty();
        }
    }
}
