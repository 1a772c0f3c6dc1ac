package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RunStateSerdeTest {
    private final RunStateSerde serde = new RunStateSerde();

    @Test
    void shouldReadBackEveryFieldItWrote() {
        // given a run with losses, checkpoints, a full signal window, an end and a decision
        RunState run = RunState.started("run-ü", "grain", 5, 2, 3);
        run.applyLosses(1, new int[] {0, 3}, new float[] {0.25f, 2f});
        run.applyLosses(2, new int[] {3}, new float[] {0.5f});
        run.addCheckpoint(new CheckpointRef(1, "file:/a/step-1.safetensors", "ab".repeat(32), 17L));
        run.addCheckpoint(new CheckpointRef(2, "file:/a/step-2.safetensors", "cd".repeat(32), 18L));
        for (int s = 1; s <= 4; s++) {
            run.signals().add(s, s / 10.0);
        }
        run.markDecided(2);
        run.end(2);

        // when
        RunState read = serde.deserialize("t", serde.serialize("t", run));

        // then
        assertThat(read.runId()).isEqualTo("run-ü");
        assertThat(read.task()).isEqualTo("grain");
        assertThat(read.exampleCount()).isEqualTo(5);
        assertThat(read.classCount()).isEqualTo(2);
        assertThat(read.latestLosses()).containsExactly(0.25f, Float.NaN, Float.NaN, 0.5f, Float.NaN);
        assertThat(read.step()).isEqualTo(2);
        assertThat(read.stepsObserved()).isEqualTo(2);
        assertThat(read.lossesObserved()).isEqualTo(3);
        assertThat(read.examplesSeen()).isEqualTo(2);
        assertThat(read.checkpoints()).isEqualTo(run.checkpoints());
        assertThat(read.signals().capacity()).isEqualTo(3);
        assertThat(read.signals().steps()).containsExactly(2, 3, 4);
        assertThat(read.signals().values()).containsExactly(0.2, 0.3, 0.4);
        assertThat(read.decidedAtStep()).isEqualTo(2);
        assertThat(read.ended()).isTrue();
        assertThat(read.finalStep()).isEqualTo(2);
    }

    @Test
    void shouldTakeFourBytesPerExampleAndLittleElse() {
        // given
        RunState run = RunState.started("run", "spam", 100_000, 2, 32);

        // when
        byte[] bytes = serde.serialize("t", run);

        // then
        assertThat(bytes.length).isBetween(400_000, 400_200);
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        byte[] bytes = serde.serialize("t", RunState.started("run", "spam", 3, 2, 4));
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.deserialize("t", bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
    }
}
