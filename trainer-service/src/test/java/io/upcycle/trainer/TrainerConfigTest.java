package io.upcycle.trainer;

import io.upcycle.model.UpcycleHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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
    void shouldParseKeyValueArgumentsInKebabOrCamelCase() {
        // when
        TrainerConfig config = TrainerConfig.fromArgs("--task", "fortune-topic-6", "--runId", "r1", "--batch-size=32",
                "--lr", "3e-3", "--checkpointEvery", "0", "--checkpoints-per-octave", "4", "--publish", "false", "--event-time", "wall");
        // then
        assertThat(config.runId()).isEqualTo("r1");
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(config.learningRate()).isEqualTo(3e-3f);
        assertThat(config.trainingSettings().checkpoints()).isEqualTo(new CheckpointSchedule(true, 0, 4));
        assertThat(config.publish()).isFalse();
        assertThat(config.wallClockEvents()).isTrue();
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        // when / then
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--steps", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config key 'steps' must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--lr", "fast"))
                .hasMessageContaining("'lr'").hasMessageContaining("fast");
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--run-id", "../escape"))
                .hasMessageContaining("'run-id'");
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--checkpoints-per-octave", "6"))
                .hasMessage("config key 'checkpoints-per-octave' must be 0 or a power of two, got '6'");
    }

    @Test
    void shouldRejectUnknownKeysListingTheKnownOnes() {
        // when / then
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--stpes", "10"))
                .hasMessageContaining("unknown config key 'stpes'")
                .hasMessageContaining("steps");
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--steps"))
                .hasMessageContaining("'steps' has no value");
    }

    @Test
    void shouldParseLabelsAndRefuseOnesWithoutAValue() {
        // when
        TrainerConfig config = TrainerConfig.fromArgs("--labels", "study.id=s1, study.pass=observe");
        // then
        assertThat(config.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("study.id", "s1", "study.pass", "observe"));
        assertThat(TrainerConfig.from(Map.of()).labels()).isEmpty();
        assertThatThrownBy(() -> TrainerConfig.fromArgs("--labels", "study.id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'labels'");
    }
}
