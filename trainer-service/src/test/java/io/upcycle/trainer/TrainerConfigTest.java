package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.config.ConfiguredCommand;
import io.upcycle.files.UpcycleHome;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

    @Test
    void shouldTakeDefaultsForKeysNotGiven() {
        // when
        TrainerConfig config = TrainerConfig.from(Map.of("task", "fortune-lang-8"));
        // then
        assertThat(config.steps()).isEqualTo(8192);
        assertThat(config.learningRate()).isEqualTo(1e-3f);
        assertThat(config.batchSize()).isEqualTo(64);
        assertThat(config.checkpointEvery()).isEqualTo(256);
        assertThat(config.checkpointPowersOfTwo()).isTrue();
        assertThat(config.checkpointsPerOctave()).isEqualTo(8);
        assertThat(config.publish()).isTrue();
        assertThat(config.runId()).startsWith("fortune-lang-8-s1-");
        assertThat(config.home()).isEqualTo(UpcycleHome.resolve());
    }

    @Test
    void shouldParseFlagsInBothFormsAndKeysFromTheEnvironment() {
        // when
        TrainerConfig config = TrainCommand.config("--task", "fortune-topic-6", "--run-id", "r1", "--batch-size=32",
                "--lr", "3e-3", "--checkpoint-every", "0", "--checkpoints-per-octave", "4", "--publish", "false", "--event-time", "wall");
        // then
        assertThat(config.runId()).isEqualTo("r1");
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.learningRate()).isEqualTo(3e-3f);
        assertThat(config.trainingSettings().checkpoints()).isEqualTo(new CheckpointSchedule(true, 0, 4));
        assertThat(config.publish()).isFalse();
        assertThat(config.wallClockEvents()).isTrue();
        TrainerConfig fromEnvironment = TrainerConfig.from(ConfiguredCommand.parse(
                new TrainCommand().withEnvironment(Map.of("UPCYCLE_STEPS", "100", "UPCYCLE_BATCH_SIZE", "8", "UPCYCLE_OTHER", "x")),
                "--batch-size", "16"));
        assertThat(fromEnvironment.steps()).isEqualTo(100);
        assertThat(fromEnvironment.batchSize()).isEqualTo(16);
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        // when / then
        assertThatThrownBy(() -> TrainCommand.config("--steps", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration steps: Value must be at least 1");
        assertThatThrownBy(() -> TrainCommand.config("--lr", "fast"))
                .hasMessageContaining("configuration lr").hasMessageContaining("fast");
        assertThatThrownBy(() -> TrainCommand.config("--run-id", "../escape"))
                .hasMessageContaining("configuration run.id");
        assertThatThrownBy(() -> TrainCommand.config("--checkpoints-per-octave", "6"))
                .hasMessage("Invalid value 6 for configuration checkpoints.per.octave: must be 0 or a power of two");
    }

    @Test
    void shouldRejectUnknownKeysListingTheKnownOnes() {
        // when / then
        assertThatThrownBy(() -> TrainCommand.config("--stpes", "10"))
                .isInstanceOf(picocli.CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("'--stpes'");
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("stpes", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration stpes").hasMessageContaining("did you mean 'steps'?");
        assertThatThrownBy(() -> TrainCommand.config("--steps"))
                .isInstanceOf(picocli.CommandLine.MissingParameterException.class).hasMessageContaining("--steps");
    }

    @Test
    void shouldParseLabelsAndRefuseOnesWithoutAValue() {
        // when
        TrainerConfig config = TrainCommand.config("--labels", "study.id=s1, study.pass=observe");
        // then
        assertThat(config.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("study.id", "s1", "study.pass", "observe"));
        assertThat(TrainerConfig.from(Map.of()).labels()).isEmpty();
        assertThatThrownBy(() -> TrainCommand.config("--labels", "study.id"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("configuration labels");
    }
}
