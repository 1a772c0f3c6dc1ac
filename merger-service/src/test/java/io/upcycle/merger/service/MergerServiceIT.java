package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.MergeRunner;
import io.upcycle.merger.TfManager;
import io.upcycle.merger.TinyExperts;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.merger.service.MergerService;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalStackExtension.class)
public class MergerServiceIT {

    @Test
    void shouldPublishOneMergeWhenEveryPlannedRunHasAStopDecisionOnTheBroker(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        // given a real broker and registry, two experts and their decisions, an undecodable record,
        // a decision of another run and a replayed decision
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 3);
        Topics topics = Topics.connect(connection);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String runA = "run-a-" + suffix;
        String runB = "run-b-" + suffix;
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 11L, List.of(runA, runB));
        MergePlan plan = fixture.plan("plan-" + suffix);
        try (EventProducer producer = new EventProducer(connection); NDManager manager = TfManager.open()) {
            long now = System.currentTimeMillis();
            producer.sendRaw(Topics.STOP_DECISIONS, runA.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1}, now);
            producer.send(topics.stopDecisions(), runA, fixture.decision(runA), now);
            producer.send(topics.stopDecisions(), "other-" + suffix, StopDecision.newBuilder(fixture.decision(runA)).setRunId("other-" + suffix).build(), now);
            producer.send(topics.stopDecisions(), runA, fixture.decision(runA), now + 1);
            producer.send(topics.stopDecisions(), runB, fixture.decision(runB), now + 2);
            producer.flush();
            MergerConfig config = MergerConfig.from(Map.of(
                    "bootstrap.servers", connection.bootstrapServers(), "schema.registry.url", connection.registryUrl(),
                    "group.id", "merger-it-" + suffix, "plan.id", plan.planId(),
                    "plan.runs", String.join(",", plan.runIds()), "plan.base.uri", plan.baseUri(),
                    "plan.base.sha256", plan.baseSha256(), "lambdas", "0.5,1.0"));
            MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                    config.options());
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));

            // when
            List<MergeResult> results = service.runOnce(topics, producer, Duration.ofSeconds(60));
            producer.flush();

            // then exactly one MergeCompleted for the plan is on the merge-results topic
            assertThat(results).hasSize(1);
            MergeResult result = results.get(0);
            String mergeId = result.event().getMergeId();
            List<MergeCompleted> merges = readAll(connection, topics.mergeResults(), suffix).stream()
                    .filter(r -> r.key().equals(mergeId)).map(ConsumerRecord::value).toList();
            assertThat(merges).hasSize(1);
            assertThat(merges.get(0).getPlanId()).isEqualTo(plan.planId());
            assertThat(merges.get(0).getOutputSha256()).isEqualTo(result.output().sha256());
            assertThat(merges.get(0).getExperts()).extracting(e -> e.getRunId()).containsExactly(runA, runB);

            // and the undecodable record went to the dead letters with its origin
            List<DeadLetter> deadLetters = readAll(connection, topics.deadLetters(), suffix).stream().map(ConsumerRecord::value)
                    .filter(d -> d.getKey() != null && StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString().equals(runA))
                    .toList();
            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.getSourceTopic()).isEqualTo(Topics.STOP_DECISIONS);
                assertThat(d.getStage()).isEqualTo(DeadLetters.DESERIALIZATION);
                assertThat(d.getApplication()).isEqualTo(MergerService.APPLICATION);
            });
        }
    }

    @Test
    void shouldRefuseADecisionOnTheBrokerThatNamesAFileOutsideTheStoreAndPublishNothing(StackEndpoints stack, @TempDir Path dir,
                                                                                    @TempDir Path outside) throws Exception {
        // given a plan of two runs, one of whose decisions names a faithful copy of its checkpoint outside the store
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 3);
        Topics topics = Topics.connect(connection);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String runA = "conf-a-" + suffix;
        String runB = "conf-b-" + suffix;
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 12L, List.of(runA, runB));
        MergePlan plan = fixture.plan("confined-" + suffix);
        StopDecision honest = fixture.decision(runB);
        Path copy = java.nio.file.Files.copy(CheckpointStore.toPath(honest.getCheckpointUri()), outside.resolve("copy.safetensors"));
        try (EventProducer producer = new EventProducer(connection); NDManager manager = TfManager.open()) {
            producer.send(topics.stopDecisions(), runA, fixture.decision(runA), System.currentTimeMillis());
            producer.send(topics.stopDecisions(), runB, StopDecision.newBuilder(honest).setCheckpointUri(copy.toUri().toString())
                    .build(), System.currentTimeMillis());
            producer.flush();
            MergerConfig config = MergerConfig.from(Map.of(
                    "bootstrap.servers", connection.bootstrapServers(), "schema.registry.url", connection.registryUrl(),
                    "group.id", "merger-conf-" + suffix, "plan.id", plan.planId(),
                    "plan.runs", String.join(",", plan.runIds()), "plan.base.uri", plan.baseUri(),
                    "plan.base.sha256", plan.baseSha256(), "lambdas", "0.5,1.0"));
            MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                    config.options());
            MergerService service = new MergerService(config, runner, MergerService.kafkaSink(producer, topics));

            // when
            List<MergeResult> results = service.runOnce(topics, producer, Duration.ofSeconds(60));

            // then the plan failed naming the uri and the readable roots, and no merge was published
            assertThat(results).isEmpty();
            assertThat(service.failure(plan.planId())).get().extracting(Throwable::getMessage).asString()
                    .contains("refusing checkpoint uri " + copy.toUri()).contains("outside the readable roots [" + dir + "]");
            assertThat(readAll(connection, topics.mergeResults(), suffix)).noneMatch(r -> r.value().getPlanId().equals(plan.planId()));
        }
    }

    public static <V> List<ConsumerRecord<String, V>> readAll(KafkaConnection connection, Topic<String, V> topic, String suffix) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(connection.consumerProperties("reader-" + suffix + "-" + topic.name()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (records.isEmpty() || emptyPolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }
}
