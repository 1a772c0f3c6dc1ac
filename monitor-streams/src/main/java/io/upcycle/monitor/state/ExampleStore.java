package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where a run's per-example arrays (latest loss, EL2N, flags, forgetting counts: 11 bytes per
 * example) are kept, apart from the rest of its state, so that saving a step costs its batch and
 * not the run: each save writes a <em>patch</em>, the new values of the examples changed since the
 * patch's slot began (a slot is rewritten until it holds {@link #SLOT_BYTES}, then the next one
 * begins); once the patches since the last <em>snapshot</em> would outgrow {@link #PATCHES_PER_SNAPSHOT}
 * snapshots, the save writes a new snapshot (the arrays whole, in blocks of {@link #SNAPSHOT_BLOCK}
 * examples) instead.
 * A patch above an eighth of a snapshot is written as a snapshot ({@link #PATCH_SHARE_DIVISOR}).
 * A save thus encodes at most a slot or a snapshot, RocksDB and the changelog get about one write
 * per slot (or snapshot) and commit, and a read applies at most {@link #PATCHES_PER_SNAPSHOT}
 * snapshots' worth of patches. A
 * run whose arrays were never snapshotted starts from the arrays of a new run (no loss, no EL2N).
 *
 * <p>The run's state entry records the snapshot's generation and how many patches follow it; each
 * snapshot block and patch carries its generation, so a reader that raced a writer (an interactive
 * query while the stream thread saves) sees a mismatch ({@link StaleRead}) and reads again. Keys
 * are the run id, a NUL and the entry's name; entries a later snapshot made stale are overwritten
 * by later saves, never read.
 *
 * <p>Fixing a run's difficulty classifies every example with an EL2N at once, but writes nothing
 * here: the classes follow from the EL2N saved before (frozen from then on) and the cut-offs in the
 * state entry, and {@link #load} derives them ({@link ExampleSignals#classifyKnown}). A 10 M-example
 * run used to write a 110 MB snapshot at that step.
 */
public final class ExampleStore {
    /** Examples per snapshot entry: 704 KiB, well under a record's size limit whatever the run's size. */
    public static final int SNAPSHOT_BLOCK = 1 << 16;
    /**
     * A patch larger than this share of a snapshot is written as a snapshot instead: the store's cache
     * keeps only the last write of a key until its commit, so snapshots of a run reach the changelog
     * once per commit, where every patch (a key of its own) reaches it. A batch that changes an
     * eighth of a run (1024 losses of an 8,192-example run) costs less as a snapshot.
     */
    static final int PATCH_SHARE_DIVISOR = 8;
    /**
     * A patch slot is rewritten with every change since it began until it holds this many bytes (about
     * two batches of 64): the store's cache then sends one write of it to RocksDB and the changelog,
     * not one per record, for at most this many bytes re-encoded per record. Slots of 16 kB re-encoded
     * 8 kB a record on average; 1 M-example runs went at 0.69-1.26 M losses/s with them, 1.18-1.35 M
     * with 2 kB (bench, three rounds each).
     */
    static final int SLOT_BYTES = 2 << 10;
    /**
     * How many snapshots' worth of patches may follow a snapshot before a save writes the next one: a
     * run whose batches touch new examples (a large run) logs about 7 bytes per changed example in
     * patches ({@link PatchSlot#encode}) and 11/(4 x 7) of that again in snapshots, where one snapshot
     * per snapshot's worth of patches doubled it (measured: a quarter of a 1 M-example run's
     * throughput); reading the arrays back, once per task start, applies up to 4 snapshots' worth of
     * patches.
     */
    static final int PATCHES_PER_SNAPSHOT = 4;
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

    /** Saves what changed in {@code state}'s arrays since the last save (nothing if nothing did); then save the state entry. */
    public static void save(RunState state, Entries entries) {
        if (!state.hasChangedExamples()) {
            return;
        }
        byte[] patch = state.allExamplesChanged() ? null : state.changedExamplesPatch();
        long patchBytes = patch == null ? Long.MAX_VALUE : patch.length;
        long snapshotBytes = BYTES_PER_EXAMPLE * (long) state.exampleCount();
        if (patchBytes > snapshotBytes / PATCH_SHARE_DIVISOR || patchBytes > PATCHES_PER_SNAPSHOT * snapshotBytes - state.examplesPatchBytes) {
            long generation = state.examplesGeneration + 1;
            for (int first = 0; first < state.exampleCount(); first += SNAPSHOT_BLOCK) {
                entries.put(snapshotKey(state.runId(), first / SNAPSHOT_BLOCK), snapshotBlock(state, generation, first));
            }
            state.examplesGeneration = generation;
            state.examplesPatches = 0;
            state.examplesPatchBytes = 0;
            state.patchSlotOpen = false;
            state.examplesSaved(true);
            return;
        }
        if (!state.patchSlotOpen) {
            state.examplesPatches++;
            state.patchSlotOpen = true;
        }
        entries.put(patchKey(state.runId(), state.examplesPatches - 1), patch);
        boolean close = patchBytes >= SLOT_BYTES;
        if (close) {
            state.examplesPatchBytes += patchBytes;
            state.patchSlotOpen = false;
        }
        state.examplesSaved(close);
    }

    /**
     * Fills {@code state}'s arrays, as read from its state entry, from its snapshot and patches.
     *
     * @throws StaleRead when an entry is of another generation (a writer saved meanwhile)
     * @throws IllegalStateException when an entry the state names is missing
     */
    public static RunState load(RunState state, Entries entries) {
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
        for (int i = 0; i < state.examplesPatches; i++) {
            String key = patchKey(state.runId(), i);
            ByteBuffer in = open(state, key, entries.get(key), PatchSlot.FORMAT, FORMAT);
            if (in.get(0) == PatchSlot.FORMAT) {
                PatchSlot.apply(in, state, key);
                continue;
            }
            int count = in.getInt(); // a patch of format 1: ids, then each array whole
            int[] ids = new int[count];
            in.asIntBuffer().get(ids);
            in.position(in.position() + 4 * count);
            readValues(state, in, ids, 0, count);
        }
        state.examples().classifyKnown();
        return state;
    }

    /**
     * Run {@code runId}'s whole state, read from its entry ({@code states}) and {@code entries} while
     * another thread may be saving it: read again when the two disagree. Null for an unknown run.
     */
    public static RunState read(String runId, Function<String, RunState> states, Entries entries) {
        for (int attempt = 1; ; attempt++) {
            RunState state = states.apply(runId);
            if (state == null) {
                return null;
            }
            try {
                return load(state, entries);
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
