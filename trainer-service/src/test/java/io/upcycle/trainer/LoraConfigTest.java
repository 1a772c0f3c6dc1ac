package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.trainer.network.LoraSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LoraConfigTest {

    @Test
    void shouldReadLoraSettingsWhenModeIsLora() {
        // given / when
        TrainerConfig config = TrainCommand.config("--mode", "lora", "--lora-rank", "4", "--lora-alpha", "12",
                "--lora-targets", "trunk.1, trunk.0");
        // then targets come in network order
        assertThat(config.lora()).isEqualTo(new LoraSettings(4, 12f, List.of("trunk.0", "trunk.1")));
        assertThat(config.lora().scale()).isEqualTo(3f);
    }

    @Test
    void shouldFineTuneInFullWithDefaultLoraValuesWhenModeIsAbsent() {
        // given / when
        TrainerConfig config = TrainerConfig.from(Map.of());
        // then
        assertThat(config.lora()).isNull();
        assertThat(TrainerConfig.from(Map.of("mode", "LORA")).lora()).isEqualTo(
                new LoraSettings(8, 16f, List.of("trunk.0", "trunk.1")));
    }

    @Test
    void shouldNameTheKeyWhenALoraValueIsBad() {
        // when / then
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("mode", "LORA", "lora.targets", "head")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lora.targets");
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("lora.rank", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lora.rank");
        assertThatThrownBy(() -> TrainerConfig.from(Map.of("mode", "QLORA")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("configuration mode");
    }
}
