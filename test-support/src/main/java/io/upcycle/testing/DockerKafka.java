package io.upcycle.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A Kafka broker in Docker through Testcontainers, for test runs that opt in. This is the only
 * class touching Testcontainers, an optional dependency: without it on the class path
 * {@link #dockerAvailable()} answers false instead of failing.
 */
final class DockerKafka implements AutoCloseable {

    /** System property overriding the image; default: the apache/kafka image of our Kafka version. */
    static final String IMAGE_PROPERTY = "upcycle.test.kafka.image";
    static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    private DockerKafka(KafkaContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (LinkageError testcontainersMissing) {
            return false;
        }
    }

    static DockerKafka start() {
        KafkaContainer container = new KafkaContainer(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new DockerKafka(container);
    }

    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
