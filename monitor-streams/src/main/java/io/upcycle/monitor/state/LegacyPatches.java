package io.upcycle.monitor.state;

import java.nio.ByteBuffer;

/**
 * Reads the patches that builds before the replayed arrays wrote after a snapshot (state entries
 * of format 4 name how many): the examples changed since, with their values. A state read with
 * patches is snapshotted at its next save ({@link RunState#isSnapshotDue}), so they are read at
 * most once per run after an upgrade.
 *
 * <p>Format {@link #PACKED}: the format byte, the generation (8 bytes), the count (4) and whether
 * EL2N follows (1); the ids in ascending order, each as the unsigned varint of its distance from
 * the previous one (from 0); the latest losses (4 bytes each, in the same order); when flagged, the
 * EL2N values (4 each); and each example's {@code forgets << 5 | flags} as a varint. Format 1 (ids,
 * then each array whole) is read by {@link ExampleStore} with its snapshot reader.
 */
final class LegacyPatches {
    /** The packed patch format. */
    static final byte PACKED = 2;
    /** Flags took the low bits of an example's packed flags and forgetting count. */
    static final int FLAG_BITS = 5;
    private static final int FLAG_MASK = (1 << FLAG_BITS) - 1;

    private LegacyPatches() {
    }

    /** Applies the packed patch {@code in} (past its format and generation), entry {@code key}, to {@code state}'s arrays. */
    static void applyPacked(ByteBuffer in, RunState state, String key) {
        int count = in.getInt();
        boolean withEl2n = in.get() != 0;
        int[] ids = new int[count];
        long id = 0;
        for (int i = 0; i < count; i++) {
            id += getVarint(in);
            if (id >= state.exampleCount()) {
                throw new IllegalStateException("run '" + state.runId() + "': example entry '" + key.replace('\0', '/')
                        + "' names example " + id + " of a run of " + state.exampleCount());
            }
            ids[i] = (int) id;
        }
        float[] runLosses = state.latestLosses();
        ExampleSignals x = state.examples();
        for (int i = 0; i < count; i++) {
            runLosses[ids[i]] = in.getFloat();
        }
        if (withEl2n) {
            for (int i = 0; i < count; i++) {
                x.el2n[ids[i]] = in.getFloat();
            }
        }
        for (int i = 0; i < count; i++) {
            int packed = getVarint(in);
            x.flags[ids[i]] = (byte) (packed & FLAG_MASK);
            x.forgets[ids[i]] = (short) (packed >>> FLAG_BITS);
        }
    }

    private static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("a varint longer than 5 bytes");
    }
}
