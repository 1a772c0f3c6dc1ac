package io.upcycle.monitor.tracking;

import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.TrainingCommand;

/**
 * Builds the training commands a policy asks for. Ids are deterministic (run, policy, step), so a
 * replay issues the same ids and a trainer that applies each id once is not confused by it.
 */
final class Commands {
    private Commands() {
    }

    static TrainingCommand setLearningRate(String runId, StopPolicy policy, long step, double rate, String reason) {
        String by = policy.name() + "-v" + policy.version();
        return TrainingCommand.newBuilder()
                .setRunId(runId)
                .setCommandId(runId + ":" + by + ":lr:" + step)
                .setKind(CommandKind.SET_LEARNING_RATE)
                .setValue(rate)
                .setReason(reason)
                .setIssuedBy("upcycle-monitor " + by)
                .build();
    }
}
