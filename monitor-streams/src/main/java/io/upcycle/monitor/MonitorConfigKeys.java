package io.upcycle.monitor;

import io.upcycle.files.UpcycleHome;
import io.upcycle.monitor.policy.LearnedFractionPolicy;
import io.upcycle.monitor.policy.StopPolicies;
import io.upcycle.config.ConfigSpec;
import io.upcycle.schemas.KafkaConnection;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;

/** Every key of {@link MonitorConfig}, declared once: type, default, validator, doc. */
public final class MonitorConfigKeys {
    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String DECISION_MODE = "decision.mode";
    public static final String POLICY_NAME = "policy.name";
    public static final String SIGNAL_WINDOW_STEPS = "signal.window.steps";
    public static final String TOP_HARD_EXAMPLES = "top.hard.examples";
    public static final String SIGNAL_REFERENCE_STEP = "signal.reference.step";
    public static final String SIGNAL_HARD_FRACTION = "signal.hard.fraction";
    public static final String SIGNAL_EASY_FRACTION = "signal.easy.fraction";
    public static final String SIGNAL_LEARNED_LOSS_THRESHOLD = "signal.learned.loss.threshold";
    public static final String SIGNAL_EASY_PLATEAU_STEPS = "signal.easy.plateau.steps";
    public static final String SIGNAL_EASY_PLATEAU_EPSILON = "signal.easy.plateau.epsilon";
    public static final String MAX_EXAMPLES_PER_RUN = "max.examples.per.run";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND_ADDRESS = "http.bind.address";
    public static final String HTTP_TOKEN = "http.token";
    public static final String STATE_STORE = "state.store";
    /** Prefix of the stop policy's parameters, e.g. {@code policy.target.fraction}. */
    public static final String POLICY_PREFIX = "policy.";
    /** Prefix of raw Kafka Streams properties, e.g. {@code streams.num.standby.replicas}. */
    public static final String STREAMS_PREFIX = "streams.";

    /** Every key of the monitor; {@code policy.*} and {@code streams.*} pass through. */
    public static final ConfigSpec SPEC = ConfigSpec.of("monitor", KafkaConnection.define(new ConfigDef())
            .define(APPLICATION_ID, ConfigDef.Type.STRING, "upcycle-monitor", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: consumer group and prefix of the internal topics.")
            .define(STATE_DIR, ConfigDef.Type.STRING, "", Importance.MEDIUM,
                    "Folder of the local state stores; empty: <upcycle home>/state/monitor.")
            .define(COMMIT_INTERVAL_MS, ConfigDef.Type.LONG, 1000L, Range.between(1, 60_000), Importance.MEDIUM,
                    "Transaction commit interval of state and offsets; a record that yields a stop decision or a command commits at once.")
            .define(STREAM_THREADS, ConfigDef.Type.INT, 1, Range.between(1, 64), Importance.LOW, "Stream threads of this instance.")
            .define(DECISION_MODE, ConfigDef.Type.STRING, "ENFORCE", ConfigDef.CaseInsensitiveValidString.in("ENFORCE", "OBSERVE"),
                    Importance.HIGH, "ENFORCE: decisions stop runs. OBSERVE: decisions are recorded, runs go on.")
            .define(POLICY_NAME, ConfigDef.Type.STRING, LearnedFractionPolicy.NAME,
                    ConfigDef.ValidString.in(StopPolicies.names().toArray(String[]::new)), Importance.HIGH,
                    "The stop policy; its parameters are policy.<parameter>, e.g. policy.target.fraction.")
            .define(SIGNAL_WINDOW_STEPS, ConfigDef.Type.INT, 32, Range.between(1, 4096), Importance.LOW,
                    "Steps of the signal series a stop decision carries as evidence.")
            .define(SIGNAL_REFERENCE_STEP, ConfigDef.Type.LONG, 32L, Range.atLeast(0), Importance.MEDIUM,
                    "The hard and easy sets are fixed from the EL2N known when the first step after this one arrives.")
            .define(SIGNAL_HARD_FRACTION, ConfigDef.Type.DOUBLE, 0.1, Range.between(1e-9, 0.999999999), Importance.MEDIUM,
                    "Share of the examples ranked by EL2N at the reference step that form the hard set (the top).")
            .define(SIGNAL_EASY_FRACTION, ConfigDef.Type.DOUBLE, 0.5, Range.between(1e-9, 0.999999999), Importance.LOW,
                    "Share of the examples ranked by EL2N at the reference step that form the easy set (the bottom).")
            .define(SIGNAL_LEARNED_LOSS_THRESHOLD, ConfigDef.Type.DOUBLE, 0.1, Range.between(1e-12, Double.MAX_VALUE), Importance.LOW,
                    "An example whose latest loss is below this counts as learned (the learned-fraction signal).")
            .define(SIGNAL_EASY_PLATEAU_STEPS, ConfigDef.Type.INT, 8, Range.between(1, 4096), Importance.LOW,
                    "The easy set's mean loss is compared with its value this many steps earlier.")
            .define(SIGNAL_EASY_PLATEAU_EPSILON, ConfigDef.Type.DOUBLE, 0.01, Range.between(0, 1), Importance.LOW,
                    "Relative improvement of the easy set's mean loss below which it has plateaued.")
            .define(TOP_HARD_EXAMPLES, ConfigDef.Type.INT, 10, Range.between(0, 10_000), Importance.LOW,
                    "How many of the hardest example ids a stop decision carries.")
            .define(MAX_EXAMPLES_PER_RUN, ConfigDef.Type.INT, 10_000_000, Range.between(1, 50_000_000), Importance.LOW,
                    "Largest exampleCount accepted (11 bytes of memory per example while a run is active); larger runs are"
                            + " dead-lettered.")
            .define(TOPIC_PARTITIONS, ConfigDef.Type.INT, 1, Range.atLeast(1), Importance.LOW,
                    "Partitions of the Upcycle topics created at start-up when missing (existing topics are left alone).")
            .define(HTTP_PORT, ConfigDef.Type.INT, 7070, Range.between(-1, 65_535), Importance.MEDIUM,
                    "Port of the JSON API and dashboard: 0 picks a free port, -1 serves nothing.")
            .define(HTTP_BIND_ADDRESS, ConfigDef.Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Address the JSON API listens on. Off loopback (0.0.0.0 in a container) the API requires a bearer token"
                            + " (http.token).")
            .define(HTTP_TOKEN, ConfigDef.Type.PASSWORD, "", Importance.LOW,
                    "Bearer token the JSON API requires (Authorization: Bearer TOKEN; the dashboard takes it as #token=TOKEN)."
                            + " Empty: none on loopback; off loopback one is generated at start and printed once with the"
                            + " dashboard's address. Instances of one application id must share one.")
            .define(STATE_STORE, ConfigDef.Type.STRING, "rocksdb", ConfigDef.CaseInsensitiveValidString.in("rocksdb", "memory"),
                    Importance.LOW, "Where run states live: rocksdb (on disk under state.dir; a clean restart reads "
                            + "it back) or memory (restored from the changelog at every start; no faster in bench monitor)."))
            .withPrefix(POLICY_PREFIX, "parameters of the stop policy: learned-fraction: policy.loss.threshold,"
                    + " policy.target.fraction, policy.min.steps; plateau: policy.patience, policy.min.delta, policy.restore.best;"
                    + " budget: policy.steps")
            .withPrefix(STREAMS_PREFIX, "passed to Kafka Streams without the prefix, e.g. streams.num.standby.replicas")
            .withPrefix(KafkaConnection.KAFKA_PREFIX, KafkaConnection.KAFKA_PREFIX_DOC);

    private MonitorConfigKeys() {
    }

    /** The folder of the local state stores {@code value} names; empty: under the upcycle home. */
    static Path stateDir(String value) {
        return value.isBlank() ? UpcycleHome.resolve().resolve("state").resolve("monitor") : Path.of(value);
    }
}
