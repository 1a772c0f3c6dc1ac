package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where a run's per-example arrays (latest loss, EL2N, flags, forgetting counts: 11 bytes per
 * example) are kept, apart from the rest of its state: as a <em>snapshot</em> (the arrays whole, in
 * blocks of {@link #SNAPSHOT_BLOCK} examples), written now and then, and between snapshots as the
 * input itself. Every losses record applied since the snapshot is still in the losses topic, and its
 * effect on the arrays depends only on the arrays and the record, so the run's entry names the
 * records ({@link RunState#lossesApplied}: first and last offset, how many, which were skipped) and a
 * restore replays them ({@link LossesReplay}). A step thus writes nothing here: a run's arrays
 * reach RocksDB and the changelog about once per {@link #SNAPSHOT_EVERY_EPOCHS} epochs, whatever the
 * run's size. The patches that earlier builds wrote for every record cost a 1 M-example run about 9
 * bytes of changelog per loss, since each of its examples changed about once per commit and the
 * record cache had nothing to merge, where an 8 k-example run's examples changed dozens of times.
 *
 * <p>A snapshot is written at the first save after the run's records since the last one carried
 * {@link #SNAPSHOT_EVERY_EPOCHS} times its example count in losses or spanned
 * {@link #MAX_REPLAY_SPAN} input offsets, after {@link #maxSkipped} skipped
 * records, when the run has ended (so that an ended run never needs its input again), and after a
 * state was read from an older format. The run's entry records the snapshot's generation; each
 * snapshot block carries its generation, so a reader that raced a writer (an interactive query while
 * the stream thread saves) sees a mismatch ({@link StaleRead}) and reads again. Keys are the run id,
 * a NUL and the entry's name. A run whose arrays were never snapshotted starts from the arrays of a
 * new run (no loss, no EL2N) and replays all its records.
 *
 * <p>Fixing a run's difficulty classifies every example with an EL2N at once, but writes nothing
 * here: the classes follow from the EL2N then (frozen from then on) and the cut-offs in the state
 * entry, and {@link #load} derives them ({@link ExampleSignals#classifyKnown}), after replaying the
 * records applied before the fix when it came after the snapshot.
 *
 * <p>The input must keep a run's records since its snapshot: a replay that finds fewer of them than the
 * entry counts (retention deleted them) is refused with the run and the offsets.
 */
public final class ExampleStore {
    /** Examples per snapshot entry: 704 KiB, well under a record's size limit whatever the run's size. */
    public static final int SNAPSHOT_BLOCK = 1 << 16;
    /**
     * Epochs' worth of losses (the run's example count times this) after which a save snapshots the
     * arrays: 11/4 bytes of changelog per loss, and a restore replays at most this many epochs of the
     * run's input.
     */
    static final int SNAPSHOT_EVERY_EPOCHS = 4;
    /**
     * Input offsets a replay may span (the run's records and those of the runs sharing its partition)
     * before a save snapshots: a restore then reads at most this many records per run, about 225 MB
     * of records of 64 losses, 1-2 s on 2 cores. A replay runs in the stream thread, inside the open
     * transaction, which must commit within {@code transaction.timeout.ms} (10 s by default).
     */
    static final long MAX_REPLAY_SPAN = 250_000;
    /**
     * Skipped records (invalid or failed) since the snapshot after which a save snapshots (the entry
     * lists them, 8 bytes each): 64, or one per 1,024 examples for larger runs, so that a flood of bad
     * records costs a large run at most about 11 kB of snapshot per record, not a snapshot per 64.
     */
    static int maxSkipped(int exampleCount) {
        return Math.max(64, exampleCount / 1024);
    }
    /** Bytes per example: latest loss and EL2N (4 each), flags (1), forgetting count (2). */
    public static final int BYTES_PER_EXAMPLE = 11;
    private static final byte FORMAT = 1;
    private static final int HEADER = 1 + 8 + 4;

    /** The store the entries live in. */
    public interface Entries {
        byte[] get(String key);

        void put(String key, byte[] value);

        /** Entries read through {@code get} and written through {@code put}. */
        static Entries of(Function<String, byte[]> get, BiConsumer<String, byte[]> put) {
            return new Entries() {
                @Override
                public byte[] get(String key) {
                    return get.apply(key);
                }

                @Override
                public void put(String key, byte[] value) {
                    put.accept(key, value);
                }
            };
        }

        /** Entries read through {@code get} only (an interactive query's view). */
        static Entries readOnly(Function<String, byte[]> get) {
            return of(get, (key, value) -> {
                throw new UnsupportedOperationException("a read-only view of the example store");
            });
        }
    }

    /** How often {@link #read} reads again after racing a writer before it gives up. */
    private static final int READ_ATTEMPTS = 5;

    /** A read met entries of another generation than the state's: a writer was saving meanwhile; read again. */
    public static final class StaleRead extends RuntimeException {
        StaleRead(String message) {
            super(message);
        }
    }

    private ExampleStore() {
    }

    /** Snapshots {@code state}'s arrays when one is due (see the class comment); otherwise writes nothing. */
    public static void save(RunState state, Entries entries) {
        if (!state.hasArrays()) {
            return; // never loaded, so never changed
        }
        boolean due = state.isSnapshotDue()
                || state.pendingLosses >= SNAPSHOT_EVERY_EPOCHS * (long) state.exampleCount()
                || state.replayTo - state.replayFrom >= MAX_REPLAY_SPAN
                || state.skipped.length >= maxSkipped(state.exampleCount())
                || (state.ended() && state.pendingRecords > 0);
        if (due) {
            snapshot(state, entries);
        }
    }

    /** Writes {@code state}'s arrays whole as its next snapshot generation: nothing is left to replay. */
    public static void snapshot(RunState state, Entries entries) {
        long generation = state.examplesGeneration + 1;
        for (int first = 0; first < state.exampleCount(); first += SNAPSHOT_BLOCK) {
            entries.put(snapshotKey(state.runId(), first / SNAPSHOT_BLOCK), snapshotBlock(state, generation, first));
        }
        state.snapshotted(generation);
    }

    /**
     * Fills {@code state}'s arrays, as read from its state entry, from its snapshot (and the patches of
     * an older build), then replays the losses records applied since from {@code input}.
     *
     * @throws StaleRead when an entry is of another generation (a writer saved meanwhile)
     * @throws IllegalStateException when an entry the state names is missing, or the input lacks records it names
     */
    public static RunState load(RunState state, Entries entries, LossesReplay input) {
        if (state.examplesGeneration > 0) {
            for (int first = 0; first < state.exampleCount(); first += SNAPSHOT_BLOCK) {
                String key = snapshotKey(state.runId(), first / SNAPSHOT_BLOCK);
                ByteBuffer in = open(state, key, entries.get(key), FORMAT);
                int from = in.getInt();
                int count = Math.min(SNAPSHOT_BLOCK, state.exampleCount() - first);
                if (from != first) {
                    throw new IllegalStateException("run '" + state.runId() + "': snapshot block " + key + " starts at example "
                            + from + ", expected " + first);
                }
                readValues(state, in, null, first, count);
            }
        }
        for (int i = 0; i < state.examplesPatches; i++) { // written by earlier builds (LegacyPatches)
            String key = patchKey(state.runId(), i);
            ByteBuffer in = open(state, key, entries.get(key), LegacyPatches.PACKED, FORMAT);
            if (in.get(0) == LegacyPatches.PACKED) {
                LegacyPatches.applyPacked(in, state, key);
                continue;
            }
            int count = in.getInt(); // a patch of format 1: ids, then each array whole
            int[] ids = new int[count];
            in.asIntBuffer().get(ids);
            in.position(in.position() + 4 * count);
            readValues(state, in, ids, 0, count);
        }
        replay(state, input);
        state.examples().classifyKnown();
        return state;
    }

    /** Applies the losses records named by {@code state}'s entry to its arrays again, fixing the difficulty after as many as it was then. */
    private static void replay(RunState state, LossesReplay input) {
        long expected = state.pendingRecords;
        if (expected == 0) {
            return;
        }
        if (state.replayFrom < 0) {
            throw new IllegalStateException("run '" + state.runId() + "': its entry counts " + expected
                    + " losses records since the snapshot but names no input offsets");
        }
        ExampleSignals x = state.examples();
        long forgettingEvents = x.forgettingEvents;
        ExampleSignals.Difficulty fixed = x.difficulty();
        boolean fixAgain = state.fixedAfter >= 0;
        if (fixAgain) {
            x.unfix();
        }
        long[] applied = {0};
        input.forEach(state.runId(), state.replayFrom, state.replayTo, (offset, ids, losses, correct, el2n) -> {
            if (state.wasSkipped(offset)) {
                return;
            }
            if (fixAgain && applied[0] == state.fixedAfter) {
                x.fix(fixed);
            }
            state.replayLosses(ids, losses, correct, el2n);
            applied[0]++;
        });
        if (fixAgain && !x.difficultyFixed() && applied[0] == state.fixedAfter) {
            x.fix(fixed);
        }
        if (applied[0] != expected) {
            throw new IllegalStateException("run '" + state.runId() + "': the losses input at offsets " + state.replayFrom + ".."
                    + state.replayTo + " holds " + applied[0] + " of the " + expected + " records its entry applied since the"
                    + " snapshot (generation " + state.examplesGeneration + ")" + (applied[0] < expected
                    ? "; were they deleted by the topic's retention?" : "; the input holds records of the run its entry does not count"));
        }
        x.forgettingEvents = forgettingEvents;
    }

    /**
     * Run {@code runId}'s whole state, read from its entry ({@code states}), {@code entries} and
     * {@code input} while another thread may be saving it: read again when the two disagree. Null for
     * an unknown run.
     */
    public static RunState read(String runId, Function<String, RunState> states, Entries entries, LossesReplay input) {
        for (int attempt = 1; ; attempt++) {
            RunState state = states.apply(runId);
            if (state == null) {
                return null;
            }
            try {
                return load(state, entries, input);
            } catch (StaleRead | IllegalStateException e) {
                if (attempt == READ_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The entry {@code key} past its format (one of {@code formats}) and generation (the state's). */
    private static ByteBuffer open(RunState state, String key, byte[] bytes, byte... formats) {
        if (bytes == null) {
            throw new IllegalStateException("run '" + state.runId() + "': its example entry '" + key.replace('\0', '/')
                    + "' is missing (generation " + state.examplesGeneration + ", " + state.examplesPatches + " patches)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte format = in.get();
        if (!readable(format, formats)) {
            throw new IllegalStateException("run '" + state.runId() + "': example entry '" + key.replace('\0', '/')
                    + "' in format " + format + ", this build reads format " + Arrays.toString(formats) + " there");
        }
        long generation = in.getLong();
        if (generation != state.examplesGeneration) {
            throw new StaleRead("run '" + state.runId() + "': example entry of generation " + generation + ", the state's is "
                    + state.examplesGeneration);
        }
        return in;
    }

    private static boolean readable(byte format, byte[] formats) {
        for (byte readable : formats) {
            if (format == readable) {
                return true;
            }
        }
        return false;
    }

    static String snapshotKey(String runId, int block) {
        return runId + "\0s" + block;
    }

    static String patchKey(String runId, int index) {
        return runId + "\0p" + index;
    }

    /** The largest entry this store writes: one snapshot block. */
    public static int largestEntryBytes() {
        return HEADER + 4 + BYTES_PER_EXAMPLE * SNAPSHOT_BLOCK;
    }

    private static byte[] snapshotBlock(RunState state, long generation, int first) {
        int count = Math.min(SNAPSHOT_BLOCK, state.exampleCount() - first);
        ByteBuffer out = ByteBuffer.allocate(HEADER + 4 + BYTES_PER_EXAMPLE * count).order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT).putLong(generation).putInt(first);
        ExampleSignals x = state.examples();
        out.asFloatBuffer().put(state.latestLosses(), first, count);
        out.position(out.position() + 4 * count);
        out.asFloatBuffer().put(x.el2n, first, count);
        out.position(out.position() + 4 * count);
        out.put(x.flags, first, count);
        out.asShortBuffer().put(x.forgets, first, count);
        return out.array();
    }

    /** Reads {@code count} values of each array, for examples {@code ids} or (null) {@code first ..}. */
    private static void readValues(RunState state, ByteBuffer in, int[] ids, int first, int count) {
        float[] losses = state.latestLosses();
        ExampleSignals x = state.examples();
        if (ids == null) {
            in.asFloatBuffer().get(losses, first, count);
            in.position(in.position() + 4 * count);
            in.asFloatBuffer().get(x.el2n, first, count);
            in.position(in.position() + 4 * count);
            in.get(x.flags, first, count);
            in.asShortBuffer().get(x.forgets, first, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            losses[ids[i]] = in.getFloat();
        }
        for (int i = 0; i < count; i++) {
            x.el2n[ids[i]] = in.getFloat();
        }
        for (int i = 0; i < count; i++) {
            x.flags[ids[i]] = in.get();
        }
        for (int i = 0; i < count; i++) {
            x.forgets[ids[i]] = in.getShort();
        }
    }
}
