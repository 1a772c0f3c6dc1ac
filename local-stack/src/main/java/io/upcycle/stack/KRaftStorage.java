package io.upcycle.stack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log folder in-process (what {@code kafka-storage.sh format} does): meta.properties
 * with a fresh cluster id and the bootstrap metadata checkpoint. A folder formatted by an earlier
 * run is left alone, so that kept data survives restarts.
 */
final class KRaftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KRaftStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KRaftStorage() {
    }

    static void formatIfNeeded(Path logDir) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            LOG.info("Kafka log folder {} is already formatted; reusing its data", logDir);
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(KafkaBrokerProperties.NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(KafkaBrokerProperties.CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new StackStartException("Cannot format the Kafka log folder " + logDir, e);
        }
        LOG.info("Formatted Kafka log folder {} for cluster {}", logDir, clusterId);
    }
}
