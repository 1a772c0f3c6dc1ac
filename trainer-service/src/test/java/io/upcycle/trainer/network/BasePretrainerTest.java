package io.upcycle.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.trainer.SyntheticTasks;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.BasePretrainer;
import io.upcycle.trainer.network.BaseSettings;
import io.upcycle.trainer.network.InputStandardization;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasePretrainerTest {
    private static final BaseSettings SETTINGS = new BaseSettings(2, 1e-3f, 64, 0);

    @TempDir
    Path cache;

    @Test
    void shouldSaveTrunkAndStandardizationWithoutThePretrainingHead() {
        // given
        TaskData pretrain = SyntheticTasks.clusters("synthetic-pretrain", 5, 320, 6, 1);
        // when
        BaseModel base = new BasePretrainer(SETTINGS, cache).obtain(pretrain);
        // then
        assertThat(base.reused()).isFalse();
        assertThat(base.validationAccuracy()).isGreaterThan(0.8);
        assertThat(base.sha256()).isEqualTo(Sha256.of(base.path()));
        assertThat(base.weights().classes()).isZero();
        try (SafetensorsFile file = Safetensors.open(base.path())) {
            assertThat(file.names()).containsExactlyInAnyOrder(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD,
                    ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS);
            // the standardization is the training split's column statistics
            InputStandardization fitted = InputStandardization.fit(pretrain.train().features(), ExpertLayout.INPUT_DIM);
            assertThat(file.read(ExpertLayout.INPUT_MEAN).data()).isEqualTo(fitted.mean());
            assertThat(file.read(ExpertLayout.INPUT_STD).data()).isEqualTo(fitted.std());
        }
    }

    @Test
    void shouldReuseTheCachedBaseWhenSettingsAndDataMatch() {
        // given a base pretrained once
        TaskData pretrain = SyntheticTasks.clusters("synthetic-pretrain", 5, 320, 6, 1);
        BaseModel first = new BasePretrainer(SETTINGS, cache).obtain(pretrain);
        // when asked again with the same settings, and with another seed
        BaseModel again = new BasePretrainer(SETTINGS, cache).obtain(pretrain);
        BaseModel other = new BasePretrainer(new BaseSettings(2, 1e-3f, 64, 1), cache).obtain(pretrain);
        // then the first is loaded from its file, identical; the second is a new base
        assertThat(again.reused()).isTrue();
        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertThat(again.validationAccuracy()).isEqualTo(first.validationAccuracy());
        assertThat(again.weights().tensors()).isEqualTo(first.weights().tensors());
        assertThat(other.reused()).isFalse();
        assertThat(other.path()).isNotEqualTo(first.path());
    }
}
