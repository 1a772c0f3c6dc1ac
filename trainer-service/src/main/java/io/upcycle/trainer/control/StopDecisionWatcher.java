package io.upcycle.trainer.control;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for this run's stop decisions: an ENFORCE decision raises the run's
 * {@link StopSignal}; OBSERVE decisions are logged and ignored. See {@link RunTopicWatcher}.
 */
public final class StopDecisionWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopDecisionWatcher.class);

    private final RunTopicWatcher<StopDecision> watcher;

    private StopDecisionWatcher(RunTopicWatcher<StopDecision> watcher) {
        this.watcher = watcher;
    }

    /** Starts watching for stop decisions of {@code runId}; returns once the decisions already logged are handled. */
    public static StopDecisionWatcher start(KafkaConnection connection, Topic<String, StopDecision> topic, String runId,
                                            StopSignal signal) {
        return new StopDecisionWatcher(RunTopicWatcher.start(connection, topic, runId, StopDecision::getRunId,
                decision -> handle(runId, decision, signal)));
    }

    private static void handle(String runId, StopDecision decision, StopSignal signal) {
        if (decision.getMode() == DecisionMode.ENFORCE) {
            LOG.info("run {}: stop decision {} ({}) at step {}: {}", runId, decision.getDecisionId(), decision.getPolicy(),
                    decision.getDecidedAtStep(), decision.getReason());
            signal.request(decision.getDecisionId(), decision.getDecidedAtStep());
        } else {
            LOG.info("run {}: {} decision {} noted, training on", runId, decision.getMode(), decision.getDecisionId());
        }
    }

    @Override
    public void close() {
        watcher.close();
    }
}
