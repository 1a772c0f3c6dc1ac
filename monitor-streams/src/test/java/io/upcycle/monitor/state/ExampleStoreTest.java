package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExampleStoreTest {
    private static final RunStateSerde SERDE = new RunStateSerde();

    @Test
    void shouldReadBackEveryArrayAfterEveryStepWhileWritingPatchesOfTheBatchAndSnapshotsNowAndThen() {
        // given a run of 20,000 examples (220 kB of arrays: above a small run) and a stream of batches of 512 with
        // correctness and EL2N, the hard set fixed at step 20
        int n = 20_000;
        int batch = 512;
        Random random = new Random(7);
        RunState run = RunState.started("run", "task", n, 2, 8);
        StoredStates stored = new StoredStates();
        int snapshots = 0;
        long patchBytes = 0;
        java.util.Set<Integer> sinceSlot = new java.util.HashSet<>();
        boolean slotWithEl2n = false;
        for (int step = 1; step <= 1500; step++) {
            int[] ids = new int[batch];
            float[] losses = new float[batch];
            boolean[] correct = new boolean[batch];
            float[] el2n = new float[batch];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(n);
                losses[i] = random.nextFloat() * 2;
                correct[i] = random.nextBoolean();
                el2n[i] = random.nextFloat();
            }
            run.applyLosses(step, ids, losses, correct, el2n);
            if (step == 20) {
                run.fixDifficulty(step, 0.2, 0.2);
            }
            long generation = run.examplesGeneration;
            Map<String, byte[]> before = new HashMap<>(stored.entries);

            // when
            RunState read = stored.roundTrip(run);

            // then the read state equals the live one, array for array
            assertThat(Arrays.equals(read.latestLosses(), run.latestLosses())).as("losses at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().el2n(), run.examples().el2n())).as("EL2N at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().flags, run.examples().flags)).as("flags at step %d", step).isTrue();
            assertThat(Arrays.equals(read.examples().forgets, run.examples().forgets)).as("forgets at step %d", step).isTrue();
            // and a step rewrote its slot's patch (every example changed since the slot began) or wrote a snapshot
            if (step == 20) {
                assertThat(run.examplesGeneration).as("fixing the difficulty writes no snapshot").isEqualTo(generation);
            }
            if (run.examplesGeneration != generation) {
                snapshots++;
                sinceSlot.clear();
                slotWithEl2n = false;
            } else {
                Arrays.stream(ids).forEach(sinceSlot::add);
                byte[] patch = stored.entries.get(ExampleStore.patchKey("run", read.examplesPatches - 1));
                // (an example's id distance 1-2 bytes, loss 4, EL2N 4 until the difficulty is fixed and in the rest of a
                // slot begun before, flags and forgets 1-2)
                slotWithEl2n |= step <= 20; // step 20's EL2N fixed the difficulty
                int perExample = slotWithEl2n ? 12 : 8;
                assertThat(patch.length).as("step %d", step).isBetween(1 + 8 + 4 + 1 + 6 * sinceSlot.size(),
                        1 + 8 + 4 + 1 + perExample * sinceSlot.size());
                assertThat(stored.entries.size() - before.size()).isLessThanOrEqualTo(1);
                if (!run.patchSlotOpen) {
                    patchBytes += patch.length;
                    sinceSlot.clear();
                    slotWithEl2n = false;
                }
            }
        }
        // a snapshot every 4 snapshots' worth of patches
        long expected = patchBytes / (ExampleStore.PATCHES_PER_SNAPSHOT * 11L * n);
        assertThat(snapshots).isBetween((int) expected, (int) expected + 2);
        assertThat(expected).isGreaterThan(3);
    }

    @Test
    void shouldRewriteOnePatchSlotUntilItHoldsTwoKilobytes() {
        // given a run of 1 M examples saved after each of 30 steps of 40 new examples, 733 apart (7 bytes each in a patch)
        RunState run = RunState.started("slots", "task", 1_000_000, 2, 8);
        StoredStates stored = new StoredStates();
        for (int step = 0; step < 30; step++) {
            int[] ids = range(40 * step, 40 * step + 40);
            for (int i = 0; i < ids.length; i++) {
                ids[i] *= 733;
            }
            run.applyLosses(step + 1, ids, new float[40]);

            // when
            ExampleStore.save(run, stored.store());
        }
        RunState read = ExampleStore.load(new RunStateSerde().deserialize("t", new RunStateSerde().serialize("t", run)),
                stored.store());

        // then 1200 changed examples took 4 patch keys (2 kB slots of 8 steps, the last one open), not 30, and read back
        assertThat(stored.entries).hasSize(4);
        assertThat(run.examplesPatches).isEqualTo(4);
        for (int patch = 0; patch < 3; patch++) {
            assertThat(stored.entries.get(ExampleStore.patchKey("slots", patch)).length).isBetween(2048, 2048 + 40 * 7);
        }
        assertThat(read.examplesSeen()).isEqualTo(1200);
        assertThat(Arrays.equals(read.latestLosses(), run.latestLosses())).isTrue();
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
        RunState read = ExampleStore.load(new RunStateSerde().deserialize("t", new RunStateSerde().serialize("t", run)),
                stored.store());

        // then both examples have their values
        assertThat(read.latestLosses()[42]).isEqualTo(0.5f);
        assertThat(read.latestLosses()[7]).isEqualTo(1.5f);
        assertThat(read.examples().el2n[7]).isEqualTo(0.75f);
        assertThat(read.examples().flags[42]).isEqualTo((byte) 3);
        assertThat(read.examples().forgets(42)).isEqualTo(2);
    }

    @Test
    void shouldWriteAPatchLargerThanAnEighthOfASnapshotAsASnapshot() {
        // given a run of 8192 examples (90 kB of arrays), a step of 64 losses and then one of 2048 distinct examples
        RunState run = RunState.started("small", "task", 8192, 2, 8);
        StoredStates stored = new StoredStates();
        run.applyLosses(1, range(0, 64), new float[64]);

        // when each is saved
        RunState afterSmall = stored.roundTrip(run);
        long generationAfterSmall = run.examplesGeneration;
        run.applyLosses(2, range(1000, 3048), new float[2048]);
        RunState afterLarge = stored.roundTrip(run);

        // then the small step is a patch (0.4 kB) and the large one (12 kB, over 11 kB) a snapshot, both read back
        assertThat(generationAfterSmall).isZero();
        assertThat(afterSmall.examplesPatches).isEqualTo(1);
        assertThat(run.examplesGeneration).isEqualTo(1);
        assertThat(run.examplesPatches).isZero();
        assertThat(afterLarge.examplesSeen()).isEqualTo(64 + 2048);
        assertThat(Arrays.equals(afterLarge.latestLosses(), run.latestLosses())).isTrue();
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
        ExampleStore.save(run, stored.store());
        byte[] now = SERDE.serialize("t", run);

        // when / then the old entry's examples are of another generation
        assertThatThrownBy(() -> ExampleStore.load(SERDE.deserialize("t", seen), stored.store()))
                .isInstanceOf(ExampleStore.StaleRead.class).hasMessageContaining("run 'run'").hasMessageContaining("generation 2");
        // and a read that gets the entry again succeeds
        byte[][] entries = {seen, now};
        int[] reads = {0};
        RunState read = ExampleStore.read("run", id -> SERDE.deserialize("t", entries[Math.min(reads[0]++, 1)]),
                stored.store());
        assertThat(read.latestLosses()).containsOnly(0f);
        assertThat(reads[0]).isEqualTo(2);
    }

    @Test
    void shouldRefuseAStateWhoseExampleEntryIsMissingNamingTheRunAndTheEntry() {
        // given a run saved with one patch, whose patch is then lost
        RunState run = RunState.started("lost", "task", 100_000, 2, 8);
        run.applyLosses(1, new int[] {5}, new float[] {1f});
        StoredStates stored = new StoredStates();
        stored.roundTrip(run);
        stored.entries.clear();

        // when / then
        assertThatThrownBy(() -> ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", run)), stored.store()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run 'lost'")
                .hasMessageContaining("'lost/p0' is missing");
    }

    private static int[] range(int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return ids;
    }
}
