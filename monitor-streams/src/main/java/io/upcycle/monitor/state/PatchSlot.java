package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The examples changed since the open patch slot of a run began, each once in the order they first
 * changed, with a copy of their current values: what {@link ExampleStore} writes as the slot's
 * patch. Not stored.
 *
 * <p>A save rewrites the whole slot (up to {@code SLOT_BYTES}), but only the examples changed since
 * the previous save have new values: {@link #refresh} copies those (a batch, just written, so in
 * cache) and {@link #encode} encodes the slot from its own arrays. Reading every
 * slot example's values from the run's arrays at each save instead cost a cache miss per value on
 * large runs (a 1 M-example run has 11 MB of them), about 2,000 a record.
 */
final class PatchSlot {
    /** Capacity kept across slots: a slot of small batches holds at most about 140 examples (2 kB); one batch can hold more. */
    private static final int KEEP_CAPACITY = 4096;
    /** The patch format {@link #encode} writes. */
    static final byte FORMAT = 2;
    /** Flags take the low bits of an example's packed flags and forgetting count. */
    private static final int FLAG_BITS = 5;
    private static final int FLAG_MASK = (1 << FLAG_BITS) - 1;

    private int[] ids = new int[64];
    private float[] losses = new float[64];
    private float[] el2n = new float[64];
    private byte[] flags = new byte[64];
    private short[] forgets = new short[64];
    private int size;
    /** Positions of the examples changed since the last refresh, in {@link #ids}. */
    private int[] fresh = new int[64];
    private int freshCount;
    /** Open addressing from example id to its position + 1 (0: empty). */
    private int[] keys = new int[128];
    private int[] positions = new int[128];
    /**
     * The slot's (id, position) pairs in id order, as of the last {@link #encode}: {@link #sorted} of
     * them. Examples added since (positions {@code sorted..size-1}) are sorted alone and merged in,
     * so an encode sorts its batch, not its slot (sorting the whole slot on every record was about a
     * tenth of the monitor's stream thread).
     */
    private long[] order = new long[64];
    private int sorted;
    /** Scratch for {@link #encode}: the pairs added since the last encode, sorted, and the bytes. */
    private long[] added = new long[64];
    private byte[] scratch = new byte[4096];

    /** Notes that {@code changed} examples have new values. */
    void mark(int[] changed) {
        for (int id : changed) {
            int position = positionOf(id);
            if (position < 0) {
                position = add(id);
            }
            if (freshCount == fresh.length) {
                fresh = Arrays.copyOf(fresh, freshCount * 2);
            }
            fresh[freshCount++] = position;
        }
    }

    /**
     * Copies the current values of the examples marked since the last refresh from the run's arrays;
     * their EL2N only {@code withEl2n} (a slot that may write it: reading it costs a cache miss per
     * example on a large run, for a value that is frozen once the difficulty is fixed).
     */
    void refresh(float[] runLosses, ExampleSignals signals, boolean withEl2n) {
        for (int i = 0; i < freshCount; i++) {
            int position = fresh[i];
            int id = ids[position];
            losses[position] = runLosses[id];
            if (withEl2n) {
                el2n[position] = signals.el2n[id];
            }
            flags[position] = signals.flags[id];
            forgets[position] = signals.forgets[id];
        }
        freshCount = 0;
    }

    int size() {
        return size;
    }

    /** The slot's examples, in the order they first changed. */
    int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    /**
     * The slot as a patch entry of {@code generation}: the format byte {@link #FORMAT}, the generation
     * (8 bytes), the count (4) and whether EL2N follows (1); then the ids in ascending order, each as
     * the unsigned varint of its distance from the previous one (from 0); the latest losses (4 bytes
     * each, in the same order); with {@code withEl2n}, the EL2N values (4 each); and each example's
     * forgetting count and flags as the varint of {@code forgets << 5 | flags}. About 7 bytes per
     * example once the difficulty is fixed (no EL2N) on a run of a million, where a fixed layout took 15.
     */
    byte[] encode(long generation, boolean withEl2n) {
        sortAdded();
        int bound = 1 + 8 + 4 + 1 + size * (5 + 4 + (withEl2n ? 4 : 0) + 3);
        if (scratch.length < bound) {
            scratch = new byte[Math.max(bound, scratch.length * 2)];
        }
        ByteBuffer out = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT).putLong(generation).putInt(size).put((byte) (withEl2n ? 1 : 0));
        int previous = 0;
        for (int i = 0; i < size; i++) {
            int id = (int) (order[i] >>> 32);
            putVarint(out, id - previous);
            previous = id;
        }
        for (int i = 0; i < size; i++) {
            out.putFloat(losses[(int) order[i]]);
        }
        if (withEl2n) {
            for (int i = 0; i < size; i++) {
                out.putFloat(el2n[(int) order[i]]);
            }
        }
        for (int i = 0; i < size; i++) {
            int position = (int) order[i];
            putVarint(out, forgets[position] << FLAG_BITS | flags[position] & FLAG_MASK);
        }
        return Arrays.copyOf(scratch, out.position());
    }

    /** Brings {@link #order} up to date: the pairs added since the last encode, sorted, merged into it. */
    private void sortAdded() {
        int count = size - sorted;
        if (count == 0) {
            return;
        }
        if (added.length < count) {
            added = new long[Math.max(count, added.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            int position = sorted + i;
            added[i] = (long) ids[position] << 32 | position;
        }
        Arrays.sort(added, 0, count);
        if (order.length < size) {
            order = Arrays.copyOf(order, Math.max(size, order.length * 2));
        }
        // merge from the back: order[0, sorted) and added[0, count) into order[0, size)
        int from = sorted - 1;
        int next = count - 1;
        for (int to = size - 1; next >= 0; to--) {
            order[to] = from >= 0 && order[from] > added[next] ? order[from--] : added[next--];
        }
        sorted = size;
    }

    /**
     * Applies a patch entry read by {@link #encode} (positioned after its generation) to {@code state}'s
     * arrays.
     *
     * @throws IllegalStateException naming {@code key} when an id is outside the run
     */
    static void apply(ByteBuffer in, RunState state, String key) {
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

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) (value & 0x7F | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
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

    /** Empties the slot: a new one begins. A slot grown large (a full pass) gives its memory back. */
    void clear() {
        if (ids.length > KEEP_CAPACITY) {
            ids = new int[64];
            losses = new float[64];
            el2n = new float[64];
            flags = new byte[64];
            forgets = new short[64];
            fresh = new int[64];
            order = new long[64];
            added = new long[64];
            scratch = new byte[4096];
            keys = new int[128];
            positions = new int[128];
        } else if (size > keys.length / 8) {
            Arrays.fill(positions, 0);
        } else {
            for (int i = 0; i < size; i++) {
                clearKey(ids[i]);
            }
        }
        size = 0;
        sorted = 0;
        freshCount = 0;
    }

    private int add(int id) {
        if (size == ids.length) {
            int capacity = size * 2;
            ids = Arrays.copyOf(ids, capacity);
            losses = Arrays.copyOf(losses, capacity);
            el2n = Arrays.copyOf(el2n, capacity);
            flags = Arrays.copyOf(flags, capacity);
            forgets = Arrays.copyOf(forgets, capacity);
        }
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        ids[size] = id;
        put(id, size);
        return size++;
    }

    private int positionOf(int id) {
        int mask = keys.length - 1;
        for (int slot = hash(id) & mask; positions[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == id) {
                return positions[slot] - 1;
            }
        }
        return -1;
    }

    private void put(int id, int position) {
        int mask = keys.length - 1;
        int slot = hash(id) & mask;
        while (positions[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = id;
        positions[slot] = position + 1;
    }

    /** Removes {@code id}, moving later entries of its probe run back so that lookups still find them. */
    private void clearKey(int id) {
        int mask = keys.length - 1;
        int slot = hash(id) & mask;
        while (positions[slot] != 0 && keys[slot] != id) {
            slot = (slot + 1) & mask;
        }
        positions[slot] = 0;
        for (int next = (slot + 1) & mask; positions[next] != 0; next = (next + 1) & mask) {
            int key = keys[next];
            int position = positions[next];
            positions[next] = 0;
            put(key, position - 1);
        }
    }

    private void rehash(int capacity) {
        keys = new int[capacity];
        positions = new int[capacity];
        for (int i = 0; i < size; i++) {
            put(ids[i], i);
        }
    }

    private static int hash(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
