package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MonitorTopologyValidationTest {
    static final String RUN = "run-1";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                invalid("NaN loss", h -> losses(h, 2, new int[] {0}, new float[] {Float.NaN}),
                        "loss NaN of example 0 at index 0 is not a finite non-negative number"),
                invalid("negative loss", h -> losses(h, 2, new int[] {0, 1}, new float[] {0.2f, -0.5f}),
                        "loss -0.5 of example 1 at index 1"),
                invalid("infinite loss", h -> losses(h, 2, new int[] {0}, new float[] {Float.POSITIVE_INFINITY}),
                        "loss Infinity of example 0"),
                invalid("arrays of different lengths", h -> losses(h, 2, new int[] {0, 1}, new float[] {0.2f}),
                        "parallel arrays differ in length: exampleIds 2, losses 1"),
                invalid("el2n of a different length", h -> {
                    ExampleLosses e = Events.losses(RUN, 2, new int[] {0, 1}, new float[] {0.2f, 0.3f});
                    e.setEl2n(List.of(0.1f));
                    h.losses.pipeInput(RUN, e, T0 + 2);
                }, "el2n 1"),
                invalid("example id past the end", h -> losses(h, 2, new int[] {0, 4}, new float[] {0.2f, 0.3f}),
                        "example id 4 at index 1 is outside 0..3"),
                invalid("negative example id", h -> losses(h, 2, new int[] {-1}, new float[] {0.2f}),
                        "example id -1 at index 0 is outside 0..3"),
                invalid("duplicated step", h -> losses(h, 1, new int[] {0}, new float[] {0.2f}),
                        "losses step 1 is a duplicate (last was 1)"),
                invalid("step going backwards", h -> losses(h, 0, new int[] {0}, new float[] {0.2f}),
                        "losses step 0 goes backwards (last was 1)"),
                invalid("losses of an unknown run", h -> h.losses.pipeInput("ghost",
                        Events.losses("ghost", 1, new int[] {0}, new float[] {0.2f}), T0 + 2), "losses for unknown run 'ghost'"),
                invalid("checkpoint of an unknown run", h -> h.checkpoints.pipeInput("ghost",
                        Events.checkpoint("ghost", 1), T0 + 2), "checkpoint for unknown run 'ghost'"),
                invalid("duplicated checkpoint step", h -> h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 1), T0 + 2),
                        "checkpoint step 1 is a duplicate"),
                invalid("checkpoint without a sha256", h -> {
                    CheckpointSaved c = Events.checkpoint(RUN, 2);
                    c.setSha256("not-a-hash");
                    h.checkpoints.pipeInput(RUN, c, T0 + 2);
                }, "has sha256 'not-a-hash'"),
                invalid("key that is not the run id", h -> h.losses.pipeInput(RUN,
                        Events.losses("other", 2, new int[] {0}, new float[] {0.2f}), T0 + 2),
                        "record key 'run-1' is not the event's run id 'other'"),
                invalid("second start", h -> h.runs.pipeInput(RUN, Events.started(RUN, 4), T0 + 2),
                        "already started"),
                invalid("empty training set", h -> h.runs.pipeInput("empty", Events.started("empty", 0), T0 + 2),
                        "exampleCount 0 is outside 1..1000000"),
                invalid("end of an unknown run", h -> h.runs.pipeInput("ghost", Events.ended("ghost", 5), T0 + 2),
                        "RunEnded for unknown run 'ghost'"),
                invalid("losses after the run ended", h -> {
                    h.runs.pipeInput(RUN, Events.ended(RUN, 1), T0 + 2);
                    losses(h, 2, new int[] {0}, new float[] {0.2f});
                }, "losses step 2 is after the run ended at step 1"),
                invalid("losses after the run failed, before it resumed", h -> {
                    h.runs.pipeInput(RUN, Events.ended(RUN, 1, EndReason.FAILED), T0 + 2);
                    losses(h, 2, new int[] {0}, new float[] {0.2f});
                }, "losses step 2 is after the run ended at step 1"),
                invalid("full pass of another step", h -> h.losses.pipeInput(RUN,
                        Events.fullPass(RUN, 2, new float[] {0.1f, 0.1f, 0.1f, 0.1f}), T0 + 2),
                        "full-pass step 2 is not the run's current step 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void shouldDeadLetterAnInvalidEventAndLeaveTheRunAsItWas(Consumer<MonitorHarness> send, String message) {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run of 4 examples with one step and one checkpoint
            h.runs.pipeInput(RUN, Events.started(RUN, 4), T0);
            losses(h, 1, new int[] {0, 1}, new float[] {0.5f, 0.6f});
            h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, 1), T0 + 1);

            // when
            send.accept(h);

            // then
            List<DeadLetter> letters = h.deadLetters.readValuesToList();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).getStage()).isEqualTo(DeadLetters.VALIDATION);
            assertThat(letters.get(0).getErrorMessage()).contains(message);
            RunState run = h.state(RUN);
            assertThat(run.step()).isEqualTo(1);
            assertThat(run.stepsObserved()).isEqualTo(1);
            assertThat(run.latestLosses()).containsExactly(0.5f, 0.6f, Float.NaN, Float.NaN);
            assertThat(run.checkpoints()).hasSize(1);
            assertThat(h.store().get("ghost")).isNull();
            assertThat(h.store().get("empty")).isNull();
        }
    }

    private static Arguments invalid(String name, Consumer<MonitorHarness> send, String message) {
        return Arguments.of(Named.of(name, send), message);
    }

    private static void losses(MonitorHarness h, long step, int[] ids, float[] losses) {
        h.losses.pipeInput(RUN, Events.losses(RUN, step, ids, losses), T0 + step);
    }
}
