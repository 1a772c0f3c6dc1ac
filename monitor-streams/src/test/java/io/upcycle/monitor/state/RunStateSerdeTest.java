package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RunStateSerdeTest {
    private final RunStateSerde serde = new RunStateSerde();
    private final StoredStates stored = new StoredStates();

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
        RunState read = stored.roundTrip(run);

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
    void shouldKeepTheEntryTheSameSizeWhateverTheRunsSize() {
        // given two runs of 10 and 10 million examples, each with one step of 64 losses
        RunState small = RunState.started("run", "spam", 10, 2, 32);
        RunState large = RunState.started("run", "spam", 10_000_000, 2, 32);
        int[] ids = new int[64];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % 10;
        }
        small.applyLosses(1, ids, new float[64]);
        large.applyLosses(1, ids, new float[64]);

        // when
        byte[] smallBytes = serde.serialize("t", small);
        byte[] largeBytes = serde.serialize("t", large);

        // then the entry holds no per-example array: the example store does
        assertThat(largeBytes.length).isEqualTo(smallBytes.length).isLessThan(300);
    }

    @Test
    void shouldReadTheEntryWithoutAllocatingTheExampleArraysUntilTheyAreNeeded() {
        // given the entry of a 10-million-example run that saw two examples
        RunState large = RunState.started("run", "spam", 10_000_000, 2, 32);
        large.applyLosses(7, new int[] {3, 9_999_999}, new float[] {0.5f, 1.5f});

        // when a query reads the entry (the dashboard, the bench's clock)
        RunState read = serde.deserialize("t", serde.serialize("t", large));

        // then its fields are there and its 110 MB of arrays are not, until something needs them
        assertThat(read.stepsObserved()).isEqualTo(1);
        assertThat(read.examplesSeen()).isEqualTo(2);
        assertThat(serde.serialize("t", read)).isEqualTo(serde.serialize("t", large));
        assertThat(read.hasArrays()).isFalse();
        assertThat(read.latestLosses()).hasSize(10_000_000).containsOnly(Float.NaN);
        assertThat(read.hasArrays()).isTrue();
        assertThat(read.examples().el2n()).hasSize(10_000_000).containsOnly(Float.NaN);
    }

    @Test
    void shouldReadBackTheSignalsEvaluationsAndEvidence() {
        // given a run with EL2N, correctness, a fixed hard set, forgetting, evaluations and evidence
        RunState run = RunState.started("run", "grain", 4, 2, 8);
        run.applyLosses(1, new int[] {0, 1, 2}, new float[] {0.1f, 0.5f, 2f}, new boolean[] {true, true, false},
                new float[] {0.05f, 0.4f, 1.3f});
        run.fixDifficulty(1, 0.3, 0.3);
        run.applyLosses(2, new int[] {1, 3}, new float[] {0.6f, 1f}, new boolean[] {false, true}, new float[] {0.5f, 0.9f});
        run.applyMetrics(1, null, 1e-3f);
        run.applyMetrics(2, 0.75f, 5e-4f);
        run.evidence(SignalNames.HARD_SHARE, 5).add(2, 0.6);
        run.evidence(SignalNames.LEARNED_FRACTION, 8).add(2, 0.25);

        // when
        RunState read = stored.roundTrip(run);

        // then
        // (EL2N as at the fix: example 1's later one and example 3's first one are not kept)
        assertThat(read.examples().el2n()).containsExactly(0.05f, 0.4f, 1.3f, Float.NaN);
        assertThat(read.examples().hard(2)).isTrue();
        assertThat(read.examples().easy(0)).isTrue();
        assertThat(read.examples().hardCutoff()).isEqualTo(run.examples().hardCutoff());
        assertThat(read.examples().easyCutoff()).isEqualTo(run.examples().easyCutoff());
        assertThat(read.examples().difficultyStep()).isEqualTo(1);
        assertThat(read.examples().forgets(1)).isEqualTo(1);
        assertThat(read.examples().forgettingEvents()).isEqualTo(1);
        assertThat(read.lastMetricsStep()).isEqualTo(2);
        assertThat(read.evaluationSteps()).containsExactly(2);
        assertThat(read.evaluationLosses()).containsExactly(0.75f);
        assertThat(read.evaluationLearningRates()).containsExactly(5e-4f);
        assertThat(read.evidence()).containsOnlyKeys(SignalNames.HARD_SHARE, SignalNames.LEARNED_FRACTION);
        assertThat(read.evidence().keySet()).containsExactly(SignalNames.HARD_SHARE, SignalNames.LEARNED_FRACTION);
        assertThat(read.evidence().get(SignalNames.HARD_SHARE).capacity()).isEqualTo(5);
        assertThat(read.evidence().get(SignalNames.HARD_SHARE).values()).containsExactly(0.6);

        // and the next step goes on from the read state: forgetting needs the stored correctness
        read.applyLosses(3, new int[] {3}, new float[] {2f}, new boolean[] {false}, new float[0]);
        assertThat(read.examples().forgettingEvents()).isEqualTo(2);
    }

    @Test
    void shouldReadAStateStoredInFormatOneWithEmptySignals() {
        // given the bytes an older build wrote (format 1: no signals after the losses), laid out by hand
        ByteBuffer v1 = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        v1.put((byte) 1);
        putString(v1, "old-run");
        putString(v1, "spam");
        v1.putInt(3).putInt(2);
        v1.putLong(7).putLong(7).putLong(21).putInt(3);
        v1.put((byte) 0).putLong(-1).putLong(-1);
        v1.putInt(1).putLong(4).putLong(99L);
        putString(v1, "file:/c/step-4.safetensors");
        putString(v1, "ef".repeat(32));
        v1.putInt(4).putInt(2).putLong(6).putDouble(0.25).putLong(7).putDouble(0.5);
        v1.putFloat(0.01f).putFloat(0.2f).putFloat(3f);
        byte[] bytes = java.util.Arrays.copyOf(v1.array(), v1.position());

        // when
        RunState read = serde.deserialize("t", bytes);

        // then the old fields are there and the new signals start empty
        assertThat(read.runId()).isEqualTo("old-run");
        assertThat(read.step()).isEqualTo(7);
        assertThat(read.latestLosses()).containsExactly(0.01f, 0.2f, 3f);
        assertThat(read.checkpoints()).containsExactly(new CheckpointRef(4, "file:/c/step-4.safetensors", "ef".repeat(32), 99L));
        assertThat(read.signals().steps()).containsExactly(6, 7);
        assertThat(read.examples().el2n()).containsOnly(Float.NaN);
        assertThat(read.examples().difficultyFixed()).isFalse();
        assertThat(read.evidence()).isEmpty();
        assertThat(read.evaluationSteps()).isEmpty();
        assertThat(read.lastMetricsStep()).isEqualTo(-1);

        // and it is written back in the current format, its arrays to the example store
        assertThat(read.isSnapshotDue()).isTrue();
        RunState again = stored.roundTrip(read);
        assertThat(serde.serialize("t", read)[0]).isEqualTo(RunStateSerde.FORMAT);
        assertThat(RunStateSerde.FORMAT).isEqualTo((byte) 5);
        assertThat(again.latestLosses()).containsExactly(0.01f, 0.2f, 3f);
    }

    @Test
    void shouldReadBackTheMissingStepsAndReadAFormatTwoStateAsComplete() {
        // given a run with two gaps, more than the kept ranges after them
        RunState run = RunState.started("gappy", "grain", 2, 2, 4);
        run.applyLosses(1, new int[] {0}, new float[] {0.5f});
        run.recordGap(2, 4);
        run.recordGap(9, 9);
        for (int i = 0; i < StepGaps.MAX_RANGES; i++) {
            run.recordGap(100 + 2L * i, 100 + 2L * i);
        }

        // when
        byte[] bytes = serde.serialize("t", run);
        RunState read = serde.deserialize("t", bytes);

        // then
        assertThat(read.incomplete()).isTrue();
        assertThat(read.highestStep()).isEqualTo(1);
        assertThat(read.gaps().gaps()).isEqualTo(2 + StepGaps.MAX_RANGES);
        assertThat(read.gaps().missing()).isEqualTo(3 + 1 + StepGaps.MAX_RANGES);
        assertThat(read.gaps().ranges()).hasSize(StepGaps.MAX_RANGES).startsWith(new StepGaps.Range(2, 4), new StepGaps.Range(9, 9));
        assertThat(read.gaps().describe()).startsWith("steps 2-4, 9, 100, 102").endsWith(" and 2 more gaps (20 missing)");

        // and states older builds wrote whole (format 3: the arrays inside; format 2: also without the gaps) read
        // as they were, the arrays included
        RunState complete = RunState.started("old", "grain", 2, 2, 4);
        complete.applyLosses(1, new int[] {0}, new float[] {0.5f});
        complete.snapshotted(0); // arrays read whole have no records to replay
        byte[] v4 = serde.serialize("t", complete);
        byte[] v3 = formatThree(v4, new float[] {0.5f, Float.NaN});
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - (8 + 4 + 8 + 4));
        v2[0] = 2;
        for (byte[] older : java.util.List.of(v3, v2)) {
            RunState old = serde.deserialize("t", older);
            assertThat(old.incomplete()).as("format %d", older[0]).isFalse();
            assertThat(old.step()).isEqualTo(1);
            assertThat(old.highestStep()).isEqualTo(1);
            assertThat(old.latestLosses()).containsExactly(0.5f, Float.NaN);
            assertThat(old.examplesSeen()).isEqualTo(1);
            assertThat(serde.serialize("t", old)).isEqualTo(v4);
        }
    }

    /**
     * The format-3 bytes of a format-5 state with no evaluation, evidence or gap: the per-example
     * arrays (these losses, no EL2N, flags or forgetting counts) after the signal window, and no
     * example-store trailer nor labels (the state has none: a count of 0).
     */
    private static byte[] formatThree(byte[] v4, float[] losses) {
        int extras = 8 + 4 + 4 + 8 + 8 + 4 + 4 + 8 + 4 + 8 + 4;
        int trailer = 8 + 5 * 8 + 4 + 4;
        int arraysAt = v4.length - extras - trailer;
        int n = losses.length;
        ByteBuffer v3 = ByteBuffer.allocate(v4.length - trailer + 11 * n).order(ByteOrder.LITTLE_ENDIAN);
        v3.put(v4, 0, arraysAt);
        for (float loss : losses) {
            v3.putFloat(loss);
        }
        for (int i = 0; i < n; i++) {
            v3.putFloat(Float.NaN);
        }
        v3.put(new byte[n]).put(new byte[2 * n]);
        v3.put(v4, arraysAt, extras);
        byte[] bytes = v3.array();
        bytes[0] = 3;
        return bytes;
    }

    private static void putString(ByteBuffer out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putInt(bytes.length).put(bytes);
    }

    @Test
    void shouldReadBackTheLabelsSortedAndBoundedAndReadAnEntryWrittenBeforeLabelsAsHavingNone() {
        // given a run with labels, one of them longer than kept, and more labels than kept
        RunState run = RunState.started("run", "spam", 10, 2, 8);
        Map<String, String> labels = new HashMap<>(Map.of("study.mode", "FULL", "lr", "0.003", "note", "x".repeat(300)));
        for (int i = 0; i < 100; i++) {
            labels.put("z" + (100 + i), "v");
        }
        run.labels(labels);
        byte[] bytes = serde.serialize("t", run);

        // when read back, and read from the same entry without its trailing labels (as this format was first written)
        RunState read = serde.deserialize("t", bytes);
        int withoutLabels = bytes.length - 4 - run.labels().entrySet().stream()
                .mapToInt(e -> 8 + e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        RunState older = serde.deserialize("t", java.util.Arrays.copyOf(bytes, withoutLabels));

        // then the first 64 labels by key, each cut to 200 characters, and none from the older entry
        assertThat(read.labels()).hasSize(RunState.MAX_LABELS).containsEntry("lr", "0.003").containsEntry("study.mode", "FULL")
                .containsEntry("note", "x".repeat(RunState.MAX_LABEL_CHARS));
        assertThat(List.copyOf(read.labels().keySet())).isSorted().doesNotContain("z199");
        assertThat(older.labels()).isEmpty();
        assertThat(older.examplesGeneration).isEqualTo(run.examplesGeneration);
    }

    @Test
    void shouldRefuseAnUnknownFormat() {
        byte[] bytes = serde.serialize("t", RunState.started("run", "spam", 3, 2, 4));
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.deserialize("t", bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
    }
}
