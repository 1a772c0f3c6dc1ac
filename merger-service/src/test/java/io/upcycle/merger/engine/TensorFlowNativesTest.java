package io.upcycle.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.engine.TensorFlowEngine;
import io.upcycle.merger.engine.TensorFlowNatives;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowNativesTest {

    @Test
    void shouldNameTheFolderAndTheFixWhenNativesAreMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> TensorFlowNatives.requirePresent(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("libjnitensorflow.so")
                .hasMessageContaining(TensorFlowNatives.FIX_COMMAND);
    }

    @Test
    void shouldLoadTheEngineOnTheUnpackedNatives() {
        // when
        TensorFlowEngine tf = TensorFlowEngine.load();

        // then
        assertThat(tf.engine().getEngineName()).isEqualTo("TensorFlow");
        assertThat(tf.engine().getVersion()).isEqualTo(TensorFlowNatives.VERSION);
        assertThat(System.getProperty(TensorFlowNatives.LIBRARY_PATH)).isEqualTo(tf.natives().toString());
    }
}
