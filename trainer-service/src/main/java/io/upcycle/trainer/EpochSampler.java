package io.upcycle.trainer;

import java.util.SplittableRandom;

/**
 * The seeded data order: each epoch visits every training example once in a fresh random order,
 * cut into batches; the last batch of an epoch may be smaller. The same seed gives the same
 * batches on every machine.
 */
public final class EpochSampler {
    private final int batchSize;
    private final SplittableRandom random;
    private final int[] order;
    private int position;
    private int epoch = -1;

    /** A batch: the epoch it belongs to (0-based) and the example ids in it. */
    public record Batch(int epoch, int[] exampleIds) {
    }

    public EpochSampler(int examples, int batchSize, long seed) {
        if (examples <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need examples and a batch size > 0, got " + examples + " and " + batchSize);
        }
        this.batchSize = batchSize;
        this.random = new SplittableRandom(seed);
        this.order = new int[examples];
        this.position = examples;
    }

    public Batch next() {
        if (position == order.length) {
            shuffle();
            position = 0;
            epoch++;
        }
        int size = Math.min(batchSize, order.length - position);
        int[] ids = new int[size];
        System.arraycopy(order, position, ids, 0, size);
        position += size;
        return new Batch(epoch, ids);
    }

    /** The epoch of the last batch handed out (-1 before the first). */
    public int epoch() {
        return epoch;
    }

    /** How many examples of the current epoch were handed out. */
    public int position() {
        return position;
    }

    private void shuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
