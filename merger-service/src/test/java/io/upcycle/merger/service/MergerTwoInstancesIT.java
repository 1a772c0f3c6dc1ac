package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mergers of one group, and a plan whose runs' decisions lie on different partitions: the plan
 * fires exactly once (before the lease, each instance read half the partitions and neither fired).
 */
class MergerTwoInstancesIT {
    private static final int PARTITIONS = 4;

    @Test
    void shouldFireAPlanExactlyOnceWhenItsRunsLieOnPartitionsOfDifferentInstances(@TempDir Path dir) throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             NDManager managerA = TfManager.open();
             NDManager managerB = TfManager.open()) {
            // given 4 partitions and two runs whose decisions go to different ones
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics.ensureCreated(connection, PARTITIONS);
            Topics topics = Topics.connect(connection);
            String runA = "run-a";
            String runB = "run-b";
            for (int i = 0; partition(runB) == partition(runA); i++) {
                runB = "run-b" + i;
            }
            TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 17L, List.of(runA, runB));
            MergePlan plan = fixture.plan("split-plan");
            MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", connection.bootstrapServers(),
                    "schema.registry.url", connection.registryUrl(), "group.id", "mergers", "plan.id", plan.planId(),
                    "plan.runs", String.join(",", plan.runIds()), "plan.base.uri", plan.baseUri(),
                    "plan.base.sha256", plan.baseSha256(), "lambdas", "0.5,1.0", "lease.timeout.ms", "6000"));
            try (EventProducer producer = new EventProducer(connection)) {
                producer.send(topics.stopDecisions(), runA, fixture.decision(runA), System.currentTimeMillis());
                producer.send(topics.stopDecisions(), runB, fixture.decision(runB), System.currentTimeMillis());
                producer.flush();

                // when two instances of the group run at once, each until the plan fired or 60 s passed
                CompletableFuture<List<MergeResult>> first = start(config, fixture, managerA, connection);
                CompletableFuture<List<MergeResult>> second = start(config, fixture, managerB, connection);
                List<MergeResult> results = first.get(120, TimeUnit.SECONDS);
                List<MergeResult> others = second.get(120, TimeUnit.SECONDS);

                // then one of them merged the plan, once, and exactly one MergeCompleted is on the topic
                assertThat(results.size() + others.size()).isEqualTo(1);
            }
            List<MergeCompleted> merges = MergerServiceIT.readAll(connection, topics.mergeResults(), "two").stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(merges).singleElement().satisfies(m -> {
                assertThat(m.getPlanId()).isEqualTo(plan.planId());
                assertThat(m.getExperts()).extracting(e -> e.getRunId()).containsExactlyElementsOf(plan.runIds());
            });
        }
    }

    private static CompletableFuture<List<MergeResult>> start(MergerConfig config, TinyExperts fixture, NDManager manager,
                                                              KafkaConnection connection) {
        return CompletableFuture.supplyAsync(() -> {
            try (EventProducer producer = new EventProducer(connection)) {
                Topics topics = Topics.connect(connection);
                MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                        config.options());
                MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
                return service.runOnce(topics, producer, Duration.ofSeconds(60));
            }
        });
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
