package io.upcycle.monitor.state;

import java.util.Arrays;

/**
 * Every evaluation loss of a run in step order (two growable arrays). Evaluations are sparse (one
 * every few dozen steps), so a run keeps all of them: a plateau policy needs the best one ever seen.
 */
public final class EvalHistory {
    private long[] steps = new long[8];
    private float[] losses = new float[8];
    private float[] rates = new float[8];
    private int size;

    /** Appends the evaluation of {@code step} and the learning rate it ran with, after forgetting entries at or after it. */
    public void add(long step, float loss, float learningRate) {
        truncateAfter(step - 1);
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, size * 2);
            losses = Arrays.copyOf(losses, size * 2);
            rates = Arrays.copyOf(rates, size * 2);
        }
        rates[size] = learningRate;
        steps[size] = step;
        losses[size] = loss;
        size++;
    }

    /** Forgets every evaluation after {@code step}. */
    public void truncateAfter(long step) {
        while (size > 0 && steps[size - 1] > step) {
            size--;
        }
    }

    public int size() {
        return size;
    }

    /** Steps of the evaluations, oldest first (a copy). */
    public long[] steps() {
        return Arrays.copyOf(steps, size);
    }

    /** Learning rates reported with the evaluations, aligned with {@link #steps()} (a copy). */
    public float[] learningRates() {
        return Arrays.copyOf(rates, size);
    }

    /** Evaluation losses aligned with {@link #steps()} (a copy). */
    public float[] losses() {
        return Arrays.copyOf(losses, size);
    }
}
