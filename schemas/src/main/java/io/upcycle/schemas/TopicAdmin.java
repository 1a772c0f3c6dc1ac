package io.upcycle.schemas;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Upcycle's topics. They are event logs that audits replay, so they keep their data
 * (no time or size limit) and are never compacted.
 */
final class TopicAdmin {
    private static final Map<String, String> KEEP_EVERYTHING = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1");

    private TopicAdmin() {
    }

    static void ensureCreated(KafkaConnection connection, Collection<String> names, int partitions) {
        try (Admin admin = Admin.create(connection.adminProperties())) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, (short) -1).configs(KEEP_EVERYTHING))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                awaitVisible(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            AccessCheck.AccessRefused refused = AccessCheck.refused(connection, e.getCause());
            if (refused != null) {
                throw refused;
            }
            throw new IllegalStateException("cannot create topics on " + connection.bootstrapServers() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + connection.bootstrapServers() + " did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * A created topic is not at once visible to every request: a describe right after the create
     * may answer "unknown topic". Waits until all of {@code names} can be described.
     */
    private static void awaitVisible(Admin admin, List<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " were created but cannot be described: " + e.getCause(),
                            e.getCause());
                }
                Thread.sleep(50);
            }
        }
    }
}
