package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExampleStoreTest {
    private static final RunStateSerde SERDE = new RunStateSerde();

    /** The losses records a test applied, by input offset: what the monitor reads back from the losses topic. */
    private static final class Input implements LossesReplay {
        final TreeMap<Long, Object[]> records = new TreeMap<>();
        final Map<Long, String> runs = new HashMap<>();

        void add(long offset, String runId, int[] ids, float[] losses, boolean[] correct, float[] el2n) {
            records.put(offset, new Object[] {ids, losses, correct, el2n});
            runs.put(offset, runId);
        }

        @Override
        public void forEach(String runId, long from, long to, Visitor visitor) {
            records.subMap(from, true, to, true).forEach((offset, r) -> {
                if (runs.get(offset).equals(runId)) {
                    visitor.accept(offset, (int[]) r[0], (float[]) r[1], (boolean[]) r[2], (float[]) r[3]);
                }
            });
        }
    }

    @Test
    void shouldReadBackEveryArrayAfterEveryStepFromTheSnapshotAndAReplayOfTheRecordsSince() {
        // given a run of 20,000 examples and a stream of batches of 512 with correctness and EL2N, interleaved
        // with another run's records, one in 50 of its records invalid (skipped), a full pass at step 300 and the
        // hard set fixed at step 200 (after the first snapshot)
        int n = 20_000;
        int batch = 512;
        Random random = new Random(7);
        RunState run = RunState.started("run", "task", n, 2, 8);
        StoredStates stored = new StoredStates();
        Input input = new Input();
        long offset = 0;
        int snapshots = 0;
        for (int step = 1; step <= 1500; step++) {
            input.add(offset++, "other", new int[] {1}, new float[] {9f}, new boolean[] {true}, new float[] {9f});
            if (step % 50 == 0) {
                input.add(offset, "run", new int[] {0}, new float[] {7f}, new boolean[] {true}, new float[] {7f});
                run.lossesSkipped(offset++);
            }
            int size = step == 300 ? n : batch;
            int[] ids = new int[size];
            float[] losses = new float[size];
            boolean[] correct = new boolean[size];
            float[] el2n = new float[size];
            for (int i = 0; i < size; i++) {
                ids[i] = size == n ? i : random.nextInt(n);
                losses[i] = random.nextFloat() * 2;
                correct[i] = random.nextBoolean();
                el2n[i] = random.nextFloat();
            }
            if (size == n) {
                run.applyFullPass(ids, losses, correct, el2n);
            } else {
                run.applyLosses(step, ids, losses, correct, el2n);
            }
            input.add(offset, "run", ids, losses, correct, el2n);
            run.lossesApplied(offset++);
            if (step == 200) {
                run.fixDifficulty(step, 0.2, 0.2);
            }
            long generation = run.examplesGeneration;
            Map<String, byte[]> before = new HashMap<>(stored.entries);

            // when the run is saved and read back from its entry, its snapshot and the input
            ExampleStore.save(run, stored.store());
            RunState read = ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", run)), stored.store(), input);

            // then the read state equals the live one, array for array
            assertThat(Arrays.equals(read.latestLosses(), run.latestLosses())).as("losses at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().el2n(), run.examples().el2n())).as("EL2N at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().flags, run.examples().flags)).as("flags at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().forgets, run.examples().forgets)).as("forgets at step %d", step).isTrue();
            assertThat(read.examples().forgettingEvents()).isEqualTo(run.examples().forgettingEvents());
            assertThat(read.summary(0.5)).as("sums at step %d", step).isEqualTo(run.summary(0.5));
            // and a step wrote nothing, or a snapshot
            if (run.examplesGeneration != generation) {
                snapshots++;
                assertThat(run.pendingRecords()).isZero();
            } else {
                assertThat(stored.entries).as("step %d", step).isEqualTo(before);
            }
        }
        // a snapshot about every 4 epochs' worth of losses (the full pass is one epoch more)
        long epochs = (1500L * batch + n) / n;
        assertThat(snapshots).isBetween((int) (epochs / ExampleStore.SNAPSHOT_EVERY_EPOCHS) - 1,
                (int) (epochs / ExampleStore.SNAPSHOT_EVERY_EPOCHS) + 1);
    }

    @Test
    void shouldRefuseAReplayThatFindsFewerRecordsThanTheEntryAppliedNamingTheRunAndTheOffsets() {
        // given a run that applied three records since its snapshot, the first of which the input no longer holds
        RunState run = RunState.started("pruned", "task", 100, 2, 8);
        Input input = new Input();
        for (long offset = 10; offset < 13; offset++) {
            run.applyLosses(offset, new int[] {(int) offset}, new float[] {1f});
            run.lossesApplied(offset);
            if (offset > 10) {
                input.add(offset, "pruned", new int[] {(int) offset}, new float[] {1f}, new boolean[0], new float[0]);
            }
        }
        StoredStates stored = new StoredStates();
        ExampleStore.save(run, stored.store());

        // when / then
        assertThatThrownBy(() -> ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", run)), stored.store(), input))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run 'pruned'")
                .hasMessageContaining("offsets 10..12 holds 2 of the 3 records");
    }

    @Test
    void shouldSnapshotAnEndedRunAndOneWithManySkippedRecordsOrAWideReplay() {
        // given three runs with records applied since their last save: one ended, one with its 64th skipped record,
        // one whose two records lie the most offsets apart that a replay may span (other runs' records between)
        RunState ended = RunState.started("ended", "task", 100, 2, 8);
        ended.applyLosses(1, new int[] {3}, new float[] {1f});
        ended.lossesApplied(0);
        ended.end(1);
        RunState skipping = RunState.started("skipping", "task", 100, 2, 8);
        skipping.applyLosses(1, new int[] {3}, new float[] {1f});
        skipping.lossesApplied(0);
        for (long offset = 1; offset <= ExampleStore.maxSkipped(100); offset++) {
            skipping.lossesSkipped(offset);
        }
        RunState wide = RunState.started("wide", "task", 100, 2, 8);
        wide.applyLosses(1, new int[] {3}, new float[] {1f});
        wide.lossesApplied(7);
        ExampleStore.save(wide, new StoredStates().store());
        assertThat(wide.examplesGeneration).isZero();
        wide.applyLosses(2, new int[] {4}, new float[] {1f});
        wide.lossesApplied(7 + ExampleStore.MAX_REPLAY_SPAN);
        StoredStates stored = new StoredStates();

        // when
        ExampleStore.save(ended, stored.store());
        ExampleStore.save(skipping, stored.store());
        ExampleStore.save(wide, stored.store());

        // then all three are snapshotted, with nothing left to replay
        assertThat(wide.examplesGeneration).isEqualTo(1);
        assertThat(wide.pendingRecords()).isZero();
        assertThat(ended.examplesGeneration).isEqualTo(1);
        assertThat(skipping.examplesGeneration).isEqualTo(1);
        assertThat(skipping.skipped).isEmpty();
        assertThat(ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", skipping)), stored.store(), LossesReplay.NONE)
                .latestLosses()[3]).isEqualTo(1f);
    }

    @Test
    void shouldStillReadAPatchOfTheFixedLayoutWrittenByAnEarlierBuild() {
        // given a run whose one patch is in format 1 (ids, losses, EL2N, flags, forgetting counts, each array whole)
        RunState run = RunState.started("old", "task", 100, 2, 8);
        run.examplesPatches = 1;
        ByteBuffer patch = ByteBuffer.allocate(1 + 8 + 4 + 2 * 15).order(ByteOrder.LITTLE_ENDIAN);
        patch.put((byte) 1).putLong(0).putInt(2).putInt(42).putInt(7).putFloat(0.5f).putFloat(1.5f)
                .putFloat(0.25f).putFloat(0.75f).put((byte) 3).put((byte) 1).putShort((short) 2).putShort((short) 0);
        StoredStates stored = new StoredStates();
        stored.entries.put(ExampleStore.patchKey("old", 0), patch.array());

        // when
        RunState read = ExampleStore.load(run, stored.store(), LossesReplay.NONE);

        // then both examples have their values
        assertThat(read.latestLosses()[42]).isEqualTo(0.5f);
        assertThat(read.latestLosses()[7]).isEqualTo(1.5f);
        assertThat(read.examples().el2n[7]).isEqualTo(0.75f);
        assertThat(read.examples().flags[42]).isEqualTo((byte) 3);
        assertThat(read.examples().forgets(42)).isEqualTo(2);
    }

    @Test
    void shouldStillReadAPackedPatchWrittenByAnEarlierBuildAndRefuseOneNamingAnExampleOutsideTheRun() {
        // given a run of 1,000 examples whose entry (format 4) names one packed patch: examples 3 and 900 (id
        // distances 3 and 897 as varints), their losses, EL2N, and forgetting counts and flags packed as forgets << 5 | flags
        RunState run = RunState.started("old", "task", 1000, 2, 8);
        run.examplesPatches = 1;
        ByteBuffer patch = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        patch.put(LegacyPatches.PACKED).putLong(0).putInt(2).put((byte) 1);
        patch.put((byte) 3).put((byte) (897 & 0x7F | 0x80)).put((byte) (897 >>> 7));
        patch.putFloat(0.5f).putFloat(1.5f).putFloat(0.25f).putFloat(0.75f);
        patch.put((byte) (2 << LegacyPatches.FLAG_BITS | 3)).put((byte) 1);
        StoredStates stored = new StoredStates();
        stored.entries.put(ExampleStore.patchKey("old", 0), Arrays.copyOf(patch.array(), patch.position()));

        // when
        RunState read = ExampleStore.load(run, stored.store(), LossesReplay.NONE);

        // then both examples have their values
        assertThat(read.latestLosses()[3]).isEqualTo(0.5f);
        assertThat(read.latestLosses()[900]).isEqualTo(1.5f);
        assertThat(read.examples().el2n[900]).isEqualTo(0.75f);
        assertThat(read.examples().flags[3]).isEqualTo((byte) 3);
        assertThat(read.examples().forgets(3)).isEqualTo(2);
        assertThat(read.examples().flags[900]).isEqualTo((byte) 1);
        // and the same patch is refused in a run of 100 examples, naming the entry
        RunState small = RunState.started("old", "task", 100, 2, 8);
        small.examplesPatches = 1;
        assertThatThrownBy(() -> ExampleStore.load(small, stored.store(), LossesReplay.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'old/p0'")
                .hasMessageContaining("example 900 of a run of 100");
    }

    @Test
    void shouldSnapshotALargeRunInBlocksThatEachFitARecord() {
        // given a run of 200,000 examples (three full blocks and a part), every example changed
        int n = 3 * ExampleStore.SNAPSHOT_BLOCK + 3392;
        RunState run = RunState.started("big", "task", n, 2, 8);
        int[] ids = new int[n];
        float[] losses = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            losses[i] = i / (float) n;
        }
        run.applyFullPass(ids, losses);
        StoredStates stored = new StoredStates();

        // when
        RunState read = stored.roundTrip(run);

        // then four snapshot blocks, none larger than the largest entry, and the values back
        assertThat(stored.entries).hasSize(4);
        assertThat(stored.entries.values()).allSatisfy(bytes -> assertThat(bytes.length)
                .isLessThanOrEqualTo(ExampleStore.largestEntryBytes()));
        assertThat(read.latestLosses()).containsExactly(run.latestLosses());
        assertThat(read.examplesGeneration).isEqualTo(1);
    }

    @Test
    void shouldNoticeAReadThatRacedASaveAndReadAgain() {
        // given a run saved once (a snapshot: a full pass changed every example), and its entry as a reader saw it then
        RunState run = RunState.started("run", "task", 50, 2, 8);
        int[] all = new int[50];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        run.applyFullPass(all, new float[50], new boolean[0], new float[50]);
        StoredStates stored = new StoredStates();
        stored.roundTrip(run);
        assertThat(run.examplesGeneration).isEqualTo(1);
        byte[] seen = SERDE.serialize("t", run);
        // and the writer saves another snapshot before the reader reads the examples
        run.applyFullPass(all, new float[50]);
        ExampleStore.snapshot(run, stored.store());
        byte[] now = SERDE.serialize("t", run);

        // when / then the old entry's examples are of another generation
        assertThatThrownBy(() -> ExampleStore.load(SERDE.deserialize("t", seen), stored.store(), LossesReplay.NONE))
                .isInstanceOf(ExampleStore.StaleRead.class).hasMessageContaining("run 'run'").hasMessageContaining("generation 2");
        // and a read that gets the entry again succeeds
        byte[][] entries = {seen, now};
        int[] reads = {0};
        RunState read = ExampleStore.read("run", id -> SERDE.deserialize("t", entries[Math.min(reads[0]++, 1)]),
                stored.store(), LossesReplay.NONE);
        assertThat(read.latestLosses()).containsOnly(0f);
        assertThat(reads[0]).isEqualTo(2);
    }

    @Test
    void shouldRefuseAStateWhoseExampleEntryIsMissingNamingTheRunAndTheEntry() {
        // given a run saved with a snapshot of two blocks, whose entries are then lost
        RunState run = RunState.started("lost", "task", 100_000, 2, 8);
        run.applyLosses(1, new int[] {5}, new float[] {1f});
        StoredStates stored = new StoredStates();
        stored.roundTrip(run);
        stored.entries.clear();

        // when / then
        assertThatThrownBy(() -> ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", run)), stored.store(),
                LossesReplay.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run 'lost'")
                .hasMessageContaining("'lost/s0' is missing");
    }
}
