package io.upcycle.monitor;

import io.upcycle.config.ConfigValues;
import io.upcycle.monitor.http.HttpSettings;
import io.upcycle.monitor.policy.PolicyParameterException;
import io.upcycle.monitor.policy.StopPolicies;
import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.monitor.tracking.SignalSettings;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.avro.DecisionMode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The monitor's configuration, typed and validated once at start-up: every key is declared in
 * {@link MonitorConfigKeys} with its type, default, validator and doc, and a bad value fails with
 * an error that names the key. Keys {@code policy.<parameter>} configure the stop policy (e.g.
 * {@code policy.target.fraction}); keys {@code streams.<key>} are handed to Kafka Streams as-is.
 *
 * @param connection Kafka and schema registry
 * @param applicationId Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir where Kafka Streams keeps local state
 * @param commitIntervalMs how often transactions commit (a record that yields a decision or command commits at once)
 * @param streamThreads stream threads of this instance
 * @param decisionMode ENFORCE (the run stops) or OBSERVE (the decision is only recorded)
 * @param policy the stop policy, built from {@code policy.name} and its parameters
 * @param signalWindowSteps steps of the signal series a decision carries
 * @param topHardExamples how many of the hardest example ids a decision carries
 * @param maxExamplesPerRun the largest exampleCount accepted; bounds the state of one run
 * @param topicPartitions partitions of the Upcycle topics this service creates when they are missing
 * @param streamsOverrides extra Kafka Streams properties ({@code streams.} prefix removed)
 * @param http the live JSON API and dashboard: port, bind address, bearer token
 * @param signalSettings how the evidence signals (hard set, easy plateau, learned fraction) are computed
 * @param stateInMemory run states in memory (true) or in RocksDB under {@code stateDir} (the default); changelogged either way
 */
public record MonitorConfig(KafkaConnection connection, String applicationId, Path stateDir, long commitIntervalMs,
                            int streamThreads, DecisionMode decisionMode, StopPolicy policy, int signalWindowSteps,
                            int topHardExamples, int maxExamplesPerRun, int topicPartitions,
                            Map<String, String> streamsOverrides, HttpSettings http,
                            SignalSettings signalSettings, boolean stateInMemory) {

    public MonitorConfig {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(signalSettings, "signalSettings");
        Objects.requireNonNull(http, "http");
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    /** Parses and validates {@code values}; unknown keys are refused so that typos do not pass unnoticed. */
    public static MonitorConfig from(Map<String, ?> values) {
        return from(MonitorConfigKeys.SPEC.parse(values));
    }

    /** The configuration of parsed values. */
    public static MonitorConfig from(ConfigValues parsed) {
        Map<String, ?> v = parsed.values();
        Map<String, String> policyParameters = parsed.withPrefix(MonitorConfigKeys.POLICY_PREFIX);
        policyParameters.remove("name");
        Map<String, String> streams = parsed.withPrefix(MonitorConfigKeys.STREAMS_PREFIX);
        return new MonitorConfig(KafkaConnection.from(parsed), (String) v.get(MonitorConfigKeys.APPLICATION_ID),
                MonitorConfigKeys.stateDir((String) v.get(MonitorConfigKeys.STATE_DIR)), (Long) v.get(MonitorConfigKeys.COMMIT_INTERVAL_MS),
                (Integer) v.get(MonitorConfigKeys.STREAM_THREADS),
                DecisionMode.valueOf(((String) v.get(MonitorConfigKeys.DECISION_MODE)).toUpperCase(Locale.ROOT)),
                policy((String) v.get(MonitorConfigKeys.POLICY_NAME), policyParameters),
                (Integer) v.get(MonitorConfigKeys.SIGNAL_WINDOW_STEPS), (Integer) v.get(MonitorConfigKeys.TOP_HARD_EXAMPLES),
                (Integer) v.get(MonitorConfigKeys.MAX_EXAMPLES_PER_RUN), (Integer) v.get(MonitorConfigKeys.TOPIC_PARTITIONS),
                streams, new HttpSettings((Integer) v.get(MonitorConfigKeys.HTTP_PORT), (String) v.get(MonitorConfigKeys.HTTP_BIND_ADDRESS),
                        ((Password) v.get(MonitorConfigKeys.HTTP_TOKEN)).value()), signalSettings(v),
                "memory".equalsIgnoreCase((String) v.get(MonitorConfigKeys.STATE_STORE)));
    }

    /** This configuration with another stop policy. */
    public MonitorConfig withPolicy(StopPolicy other) {
        return new MonitorConfig(connection, applicationId, stateDir, commitIntervalMs, streamThreads, decisionMode, other,
                signalWindowSteps, topHardExamples, maxExamplesPerRun, topicPartitions, streamsOverrides, http,
                signalSettings, stateInMemory);
    }

    private static SignalSettings signalSettings(Map<String, ?> v) {
        double hard = (Double) v.get(MonitorConfigKeys.SIGNAL_HARD_FRACTION);
        double easy = (Double) v.get(MonitorConfigKeys.SIGNAL_EASY_FRACTION);
        if (hard + easy > 1) {
            throw new ConfigException(MonitorConfigKeys.SIGNAL_EASY_FRACTION, easy,
                    "the easy and hard sets overlap: " + MonitorConfigKeys.SIGNAL_HARD_FRACTION + " + "
                            + MonitorConfigKeys.SIGNAL_EASY_FRACTION + " must be at most 1");
        }
        return new SignalSettings((Long) v.get(MonitorConfigKeys.SIGNAL_REFERENCE_STEP), hard, easy,
                (Double) v.get(MonitorConfigKeys.SIGNAL_LEARNED_LOSS_THRESHOLD),
                (Integer) v.get(MonitorConfigKeys.SIGNAL_EASY_PLATEAU_STEPS),
                (Double) v.get(MonitorConfigKeys.SIGNAL_EASY_PLATEAU_EPSILON));
    }

    /** The defaults, pointed at {@code bootstrapServers} and {@code registryUrl}. */
    public static MonitorConfig defaults(String bootstrapServers, String registryUrl) {
        return from(Map.of(KafkaConnection.BOOTSTRAP_SERVERS, bootstrapServers, KafkaConnection.REGISTRY_URL, registryUrl));
    }

    /** The Kafka Streams properties of this configuration; see {@link MonitorStreamsProperties}. */
    public Properties streamsProperties() {
        return MonitorStreamsProperties.of(this);
    }

    private static StopPolicy policy(String name, Map<String, String> parameters) {
        try {
            return StopPolicies.create(name, parameters);
        } catch (PolicyParameterException e) {
            String key = MonitorConfigKeys.POLICY_PREFIX + e.parameter();
            throw new ConfigException(key, parameters.get(e.parameter()), e.getMessage());
        }
    }
}
