package io.upcycle.stack;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The configuration of the single-node KRaft broker: one process is broker and controller, both
 * listeners on 127.0.0.1, every internal topic with one replica so that consumer groups,
 * transactions ({@code exactly_once_v2}) and share groups work on one broker.
 */
final class KafkaBrokerProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String BROKER_LISTENER = "PLAINTEXT";

    private KafkaBrokerProperties() {
    }

    static final String SASL_SSL_LISTENER = "SASL_SSL";

    static Properties of(Path logDir, int brokerPort, int controllerPort) {
        return of(logDir, brokerPort, controllerPort, null, -1);
    }

    /**
     * As {@link #of(Path, int, int)}, with a {@code SASL_SSL} listener on {@code securePort} when
     * {@code secure} is given: TLS with its key store, SCRAM-SHA-256 and SCRAM-SHA-512 logins. The
     * plaintext listener stays for the broker's own traffic and for creating the SCRAM users.
     */
    static Properties of(Path logDir, int brokerPort, int controllerPort, SecureListener secure, int securePort) {
        String host = LoopbackPorts.HOST;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.setProperty("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        p.setProperty("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
        if (secure != null) {
            String listener = SASL_SSL_LISTENER + "://" + host + ":" + securePort;
            p.setProperty("listeners", p.getProperty("listeners") + "," + listener);
            p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener);
            p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ","
                    + SASL_SSL_LISTENER + ":SASL_SSL");
            p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
            String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
            p.setProperty("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", scram);
            p.setProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scram);
            p.setProperty("ssl.keystore.location", secure.keyStore().toString());
            p.setProperty("ssl.keystore.password", secure.keyStorePassword());
            p.setProperty("ssl.key.password", secure.keyStorePassword());
            p.setProperty("ssl.keystore.type", "PKCS12");
        }
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("metadata.log.dir", logDir.toString());

        // One broker: every internal topic gets one replica and accepts one in-sync replica.
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");

        // Recorded runs are replayed to audit decisions: keep every record until the data folder
        // is deleted (topics may still set their own retention).
        p.setProperty("log.retention.ms", "-1");
        // The cleaner's 128 MB default buffer would sit in the host JVM's heap; local topics are small.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
        return p;
    }
}
