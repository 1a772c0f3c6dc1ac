package io.upcycle.merger.service;

import io.upcycle.merger.MergeResult;
import io.upcycle.merger.plan.PlanMethods;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.schemas.Backoff;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.RegistryOutage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merger's Kafka side. It joins its group's lease ({@link MergerLease}) and waits while another
 * instance holds it. Once active, it reads {@code upcycle.merge-results} into the
 * {@link MergeHistory}, then every partition of {@code upcycle.merge-plans} and
 * {@code upcycle.stop-decisions} (read_committed, from the beginning, no offsets committed: each
 * activation rebuilds the state from the log), so it sees every run of a plan whatever the
 * partitions. After each poll it lets the service fire what may fire, so a batch of replayed
 * decisions is seen before timeouts are judged. A decision's arrival time is its record's
 * timestamp. Undecodable records and invalid plans are dead-lettered with their origin and
 * skipped; a record an earlier start already dead-lettered ({@link DeadLettered}, read at start) is
 * skipped without a second dead letter. A record that cannot be decoded because the schema registry
 * is down is valid: it is decoded again once the registry answers (pauses doubling up to 5 s, a log
 * line saying what it waits for), never dead-lettered; past {@code outage.wait.ms} the merger fails
 * naming the registry, and a restart reads on from the log. An instance that loses the lease stops
 * before firing anything more, with an error saying so.
 */
final class MergerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(MergerLoop.class);

    private final MergerService service;
    private final MergerConfig config;
    private final MergeHistory history;
    private final Backoff registryWait;

    MergerLoop(MergerService service, MergerConfig config, MergeHistory history) {
        this.service = service;
        this.config = config;
        this.history = history;
        this.registryWait = new Backoff("the schema registry at " + config.connection().registryUrl() + " to decode plans and"
                + " stop decisions", Duration.ofMillis(250), Duration.ofSeconds(5), config.connection().outageWait(), LOG);
    }

    List<MergeResult> run(Topics topics, EventProducer producer, Duration wait, Set<String> untilFired) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<MergeResult> results = new ArrayList<>();
        try (MergerLease lease = MergerLease.join(config.connection(), config.groupId(), config.leaseTimeout())) {
            while (true) {
                LOG.info("merger of group {} waiting for its lease (another instance may hold it)", config.groupId());
                if (!lease.awaitHeld(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.info("merger of group {} stood by until its time was up: another instance held the lease", config.groupId());
                    return results;
                }
                try {
                    active(topics, producer, deadline, untilFired, lease, results);
                    return results;
                } catch (LeaseLost e) {
                    // after a broker outage longer than lease.timeout.ms, or a pause: another instance may merge now
                    LOG.warn("merger of group {} lost its lease; it stands by, and reads the merge results again if it gets"
                            + " the lease back", config.groupId());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the merger lease of group " + config.groupId(), e);
        }
    }

    /** The lease was lost while active: stop firing, stand by again. */
    private static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super("lost the merger lease", null, false, false);
        }
    }

    /** Merges while holding the lease, adding what it merges to {@code results} as it goes. */
    private void active(Topics topics, EventProducer producer, long deadline, Set<String> untilFired, MergerLease lease,
                        List<MergeResult> results) {
        MergeHistoryReader.read(config.connection(), topics, Duration.ofSeconds(60), history);
        DeadLettered deadLettered = DeadLettered.read(config.connection(), topics, Duration.ofSeconds(60));
        Properties properties = config.connection().consumerProperties("unused");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        results.addAll(service.tick());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.MERGE_PLANS, Topics.STOP_DECISIONS)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline && !done(untilFired)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    take(topics, producer, deadLettered, record);
                }
                requireLease(lease);
                results.addAll(service.tick());
            }
        } finally {
            // dead letters are sent without waiting: have them written before the next start reads them back
            producer.flush();
        }
    }

    private static void requireLease(MergerLease lease) {
        if (!lease.held()) {
            throw new LeaseLost();
        }
    }

    private boolean done(Set<String> untilFired) {
        return !untilFired.isEmpty() && untilFired.stream().allMatch(service::fired);
    }

    private void take(Topics topics, EventProducer producer, DeadLettered deadLettered, ConsumerRecord<byte[], byte[]> record) {
        boolean plan = record.topic().equals(Topics.MERGE_PLANS);
        Object value;
        while (true) {
            try {
                value = plan ? topics.mergePlans().valueSerde().deserializer().deserialize(record.topic(), record.value())
                        : topics.stopDecisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
                registryWait.recovered();
                break;
            } catch (SerializationException e) {
                if (!RegistryOutage.isOutage(e)) {
                    deadLetter(topics, producer, deadLettered, record, DeadLetters.DESERIALIZATION, e);
                    return;
                }
                if (!registryWait.sleepAfter(new IllegalStateException(RegistryOutage.describe(e)))) {
                    throw new IllegalStateException("interrupted while waiting for the schema registry", e);
                }
            }
        }
        try {
            if (value == null) {
                throw new IllegalArgumentException("record has no value");
            }
            if (plan) {
                service.register(validated(PlanSpec.from((MergeRequested) value)));
            } else {
                service.offer((StopDecision) value, record.timestamp());
            }
        } catch (IllegalArgumentException e) {
            deadLetter(topics, producer, deadLettered, record, DeadLetters.VALIDATION, e);
        }
    }

    private static void deadLetter(Topics topics, EventProducer producer, DeadLettered deadLettered,
                                   ConsumerRecord<byte[], byte[]> record, String stage, RuntimeException e) {
        if (!deadLettered.add(record.topic(), record.partition(), record.offset())) {
            LOG.info("{} failed again for the record at {}-{}@{}, dead-lettered before: skipped ({})", stage, record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        LOG.warn("{} failed for the record at {}-{}@{}, dead-lettered: {}", stage, record.topic(), record.partition(),
                record.offset(), e.getMessage());
        producer.send(topics.deadLetters(), null, DeadLetters.of(record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value(), stage, e, MergerService.APPLICATION), record.timestamp());
    }

    private static PlanSpec validated(PlanSpec plan) {
        List<String> unknown = PlanMethods.unknown(plan.methods());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("plan " + plan.planId() + " names unknown methods " + unknown + "; known methods: "
                    + PlanMethods.known());
        }
        return plan;
    }
}
