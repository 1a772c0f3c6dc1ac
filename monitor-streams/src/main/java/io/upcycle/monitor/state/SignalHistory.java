package io.upcycle.monitor.state;

import java.util.Arrays;

/**
 * The most recent values of a run's stop signal, one per step, in a fixed-size ring: the window
 * that a stop decision carries as evidence.
 */
public final class SignalHistory {
    private final long[] steps;
    private final double[] values;
    private int size;
    private int next;

    public SignalHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("signal window must hold at least one step, got " + capacity);
        }
        this.steps = new long[capacity];
        this.values = new double[capacity];
    }

    /**
     * Records the value of {@code step}, dropping the oldest once full. Entries of {@code step} or
     * later are replaced: a full pass re-assesses the step its batch already reported, and a resumed
     * run may report again the steps after its resume point.
     */
    public void add(long step, double value) {
        truncateAfter(step - 1);
        steps[next] = step;
        values[next] = value;
        next = (next + 1) % steps.length;
        size = Math.min(size + 1, steps.length);
    }

    /** Forgets every entry after {@code step}, newest first. */
    public void truncateAfter(long step) {
        while (size > 0 && steps[index(size - 1)] > step) {
            next = (next - 1 + steps.length) % steps.length;
            size--;
        }
    }

    public int capacity() {
        return steps.length;
    }

    public int size() {
        return size;
    }

    /** Steps held, oldest first. */
    public long[] steps() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = steps[index(i)];
        }
        return out;
    }

    /** Values held, oldest first, aligned with {@link #steps()}. */
    public double[] values() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = values[index(i)];
        }
        return out;
    }

    /** The step of entry {@code i}, oldest first ({@code 0 <= i < size()}), without copying the window. */
    public long stepAt(int i) {
        return steps[index(i)];
    }

    /** The value of entry {@code i}, oldest first. */
    public double valueAt(int i) {
        return values[index(i)];
    }

    private int index(int i) {
        return (next - size + i + steps.length) % steps.length;
    }

    @Override
    public String toString() {
        return "SignalHistory" + Arrays.toString(steps()) + "=" + Arrays.toString(values());
    }
}
