package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The examples changed since the open patch slot of a run began, each once in the order they first
 * changed, with a copy of their current values: what {@link ExampleStore} writes as the slot's
 * patch. Not stored.
 *
 * <p>A save rewrites the whole slot (up to {@code SLOT_BYTES}), but only the examples changed since
 * the previous save have new values: {@link #refresh} copies those (a batch, just written, so in
 * cache) and {@link #writeValues} encodes the slot from its own arrays in sequence. Reading every
 * slot example's values from the run's arrays at each save instead cost a cache miss per value on
 * large runs (a 1 M-example run has 11 MB of them), about 2,000 a record.
 */
final class PatchSlot {
    /** Capacity kept across slots: a slot of small batches holds at most about 140 examples (2 kB); one batch can hold more. */
    private static final int KEEP_CAPACITY = 4096;

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

    /** Copies the current values of the examples marked since the last refresh from the run's arrays. */
    void refresh(float[] runLosses, ExampleSignals signals) {
        for (int i = 0; i < freshCount; i++) {
            int position = fresh[i];
            int id = ids[position];
            losses[position] = runLosses[id];
            el2n[position] = signals.el2n[id];
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

    /** Writes the slot's ids, then its losses, EL2N, flags and forgetting counts, each array in slot order. */
    void writeTo(ByteBuffer out) {
        out.asIntBuffer().put(ids, 0, size);
        out.position(out.position() + 4 * size);
        out.asFloatBuffer().put(losses, 0, size);
        out.position(out.position() + 4 * size);
        out.asFloatBuffer().put(el2n, 0, size);
        out.position(out.position() + 4 * size);
        out.put(flags, 0, size);
        out.asShortBuffer().put(forgets, 0, size);
        out.position(out.position() + 2 * size);
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
