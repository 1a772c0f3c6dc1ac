package io.upcycle.trainer.control;

import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.avro.TrainingCommand;

/**
 * Hands this run's commands to its {@link LearningRateControl}. {@link #start} returns once every
 * command already in the log is applied, so a restarted run trains with the rate its commands
 * last set. See {@link RunTopicWatcher}.
 */
public final class CommandWatcher implements AutoCloseable {
    private final RunTopicWatcher<TrainingCommand> watcher;

    private CommandWatcher(RunTopicWatcher<TrainingCommand> watcher) {
        this.watcher = watcher;
    }

    /** Starts watching; returns once the commands already in the log are applied. */
    public static CommandWatcher start(KafkaConnection connection, Topic<String, TrainingCommand> topic, String runId,
                                       LearningRateControl control) {
        return new CommandWatcher(RunTopicWatcher.start(connection, topic, runId, TrainingCommand::getRunId, control::apply));
    }

    @Override
    public void close() {
        watcher.close();
    }
}
