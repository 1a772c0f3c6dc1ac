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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker outage longer than the merger's lease: it stands by, takes the lease back, and merges once. */
class MergerBrokerOutageIT {
    @Test
    void shouldRideOutABrokerOutageLongerThanItsLeaseAndMergeOnce(@TempDir Path dir) throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             NDManager manager = TfManager.open()) {
            // given a running merger of a two-run plan, and the first run's decision
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics.ensureCreated(connection, 1);
            Topics topics = Topics.connect(connection);
            TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 23L, List.of("run-a", "run-b"));
            MergePlan plan = fixture.plan("broker-outage-plan");
            MergerConfig config = MergerConfig.from(Map.of("bootstrap.servers", connection.bootstrapServers(),
                    "schema.registry.url", connection.registryUrl(), "group.id", "merger-broker-outage", "plan.id", plan.planId(),
                    "plan.runs", String.join(",", plan.runIds()), "plan.base.uri", plan.baseUri(),
                    "plan.base.sha256", plan.baseSha256(), "lambdas", "0.5,1.0", "lease.timeout.ms", "6000"));
            try (EventProducer producer = new EventProducer(connection)) {
                producer.send(topics.stopDecisions(), "run-a", fixture.decision("run-a"), System.currentTimeMillis());
                producer.flush();
                MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                        config.options());
                MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));
                CompletableFuture<List<MergeResult>> merging = CompletableFuture.supplyAsync(
                        () -> service.runOnce(topics, producer, Duration.ofSeconds(150)));
                // and it holds the lease before the outage (the group assigns it the lease partition)
                try (Admin admin = Admin.create(connection.adminProperties())) {
                    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                            .alias("the merger holding its lease").until(() -> admin.describeConsumerGroups(List.of(config.groupId()))
                                    .all().get().get(config.groupId()).members().stream()
                                    .anyMatch(member -> member.assignment().topicPartitions().stream()
                                            .anyMatch(partition -> partition.topic().equals(Topics.MERGER_LEASE))));
                }

                // when the broker is down for 20 s (more than the 6 s lease), through which the merger stays up, then the
                // second decision arrives
                stack.stopBroker();
                await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .alias("the merger still up").until(() -> !merging.isDone());
                stack.startBroker();
                producer.send(topics.stopDecisions(), "run-b", fixture.decision("run-b"), System.currentTimeMillis());
                producer.flush();

                // then the plan fires once
                assertThat(merging.get(120, TimeUnit.SECONDS)).hasSize(1);
            }
            List<MergeCompleted> merges = MergerServiceIT.readAll(connection, topics.mergeResults(), "broker").stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(merges).singleElement().extracting(MergeCompleted::getPlanId).isEqualTo(plan.planId());
        }
    }
}
