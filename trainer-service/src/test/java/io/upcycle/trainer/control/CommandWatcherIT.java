package io.upcycle.trainer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.TrainingCommand;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.trainer.control.CommandWatcher;
import io.upcycle.trainer.control.LearningRateControl;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Learning-rate commands through the real broker: applied from the log at start and live after it. */
@ExtendWith(LocalStackExtension.class)
class CommandWatcherIT {

    private static TrainingCommand setRate(String runId, double rate) {
        return TrainingCommand.newBuilder().setRunId(runId).setCommandId(UUID.randomUUID().toString())
                .setKind(CommandKind.SET_LEARNING_RATE).setValue(rate).setReason("test").setIssuedBy("CommandWatcherIT").build();
    }

    @Test
    void shouldApplyThisRunsCommandsFromTheLogBeforeStartingAndLiveAfterwards(StackEndpoints stack) {
        // given: a command for this run already in the log, and the rate control of a constant schedule
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        String run = "cmd-" + UUID.randomUUID();
        LearningRateControl control = new LearningRateControl(1e-3f, LearningRateSchedule.CONSTANT, 100);
        try (EventProducer producer = new EventProducer(connection)) {
            producer.send(topics.commands(), run, setRate(run, 5e-4), 1L);
            producer.flush();

            // when the watcher starts
            try (CommandWatcher watcher = CommandWatcher.start(connection, topics.commands(), run, control)) {
                // then the logged command is in force before training would begin
                assertThat(control.base()).isEqualTo(5e-4f);

                // and a live command for another run is ignored while this run's next one applies
                producer.send(topics.commands(), "other-run", setRate("other-run", 9e-1), 2L);
                producer.send(topics.commands(), run, setRate(run, 2e-4), 3L);
                producer.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> control.base() == 2e-4f);
                assertThat(control.rateAt(50)).isEqualTo(2e-4f);
            }
        }
    }
}
