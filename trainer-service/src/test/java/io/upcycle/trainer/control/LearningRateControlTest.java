package io.upcycle.trainer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.TrainingCommand;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainingSettings;
import io.upcycle.trainer.control.LearningRateControl;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateControlTest {

    @Test
    void shouldDecayFromTheBaseRateToNearZeroWhenCosine() {
        // given a cosine schedule over 100 steps
        LearningRateControl control = new LearningRateControl(0.01f, LearningRateSchedule.COSINE, 100);
        // when / then: full rate at step 1, half at the middle, almost nothing at the end, never rising
        assertThat(control.rateAt(1)).isEqualTo(0.01f);
        assertThat(control.rateAt(51)).isCloseTo(0.005f, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(control.rateAt(100)).isLessThan(0.01f * 0.001f);
        for (long step = 2; step <= 100; step++) {
            assertThat(control.rateAt(step)).isLessThanOrEqualTo(control.rateAt(step - 1));
        }
    }

    @Test
    void shouldReplaceTheBaseRateOnceWhenASetLearningRateCommandArrives() {
        // given a constant schedule at 1e-3
        LearningRateControl control = new LearningRateControl(1e-3f, LearningRateSchedule.CONSTANT, 10);
        // when a command sets 2e-4, and the same command is seen again after another one
        boolean first = control.apply(command("c1", CommandKind.SET_LEARNING_RATE, 2e-4));
        boolean second = control.apply(command("c2", CommandKind.SET_LEARNING_RATE, 5e-4));
        boolean again = control.apply(command("c1", CommandKind.SET_LEARNING_RATE, 2e-4));
        // then each id applied once, the last new one in force
        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(again).isFalse();
        assertThat(control.rateAt(7)).isEqualTo(5e-4f);
    }

    @Test
    void shouldIgnoreCommandsWithABadValueOrAnUnknownKind() {
        // given
        LearningRateControl control = new LearningRateControl(1e-3f, LearningRateSchedule.CONSTANT, 10);
        // when
        boolean negative = control.apply(command("c1", CommandKind.SET_LEARNING_RATE, -1));
        boolean unknown = control.apply(command("c2", CommandKind.UNKNOWN, 1e-2));
        // then
        assertThat(negative).isFalse();
        assertThat(unknown).isFalse();
        assertThat(control.base()).isEqualTo(1e-3f);
    }

    @Test
    void shouldNameTheKeyWhenTheOptimizerOrScheduleIsUnknown() {
        // when / then
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("optimizer", "lion")))
                .hasMessageContaining("configuration optimizer").hasMessageContaining("ADAM, SGD");
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("lr.schedule", "linear")))
                .hasMessageContaining("configuration lr.schedule").hasMessageContaining("CONSTANT, COSINE");
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("full.pass.every", "-1"))).hasMessageContaining("configuration full.pass.every");
    }

    @Test
    void shouldCarryOptimizerScheduleAndFullPassIntoTheSettings() {
        // when
        TrainingSettings settings = TrainerConfig.from(Map.of("optimizer", "SGD", "lr.schedule", "cosine",
                "full.pass.every", "8")).trainingSettings();
        // then
        assertThat(settings.optimizer()).isEqualTo(OptimizerKind.SGD);
        assertThat(settings.schedule()).isEqualTo(LearningRateSchedule.COSINE);
        assertThat(settings.fullPassEvery()).isEqualTo(8);
        assertThat(settings.asStrings()).containsEntry("optimizer", "sgd").containsEntry("learningRateSchedule", "cosine");
    }

    private static TrainingCommand command(String id, CommandKind kind, double value) {
        return TrainingCommand.newBuilder().setRunId("run").setCommandId(id).setKind(kind).setValue(value).build();
    }
}
