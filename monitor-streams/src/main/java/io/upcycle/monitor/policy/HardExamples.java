package io.upcycle.monitor.policy;

import java.util.PriorityQueue;

/**
 * Picks the hardest examples of a run: the highest most-recent losses, unseen examples left out.
 * Ties go to the lower example id, so the answer is deterministic.
 */
public final class HardExamples {
    private HardExamples() {
    }

    /** Ids of the (at most) {@code k} examples with the highest loss, hardest first. */
    public static int[] top(float[] latestLosses, int k) {
        if (k <= 0) {
            return new int[0];
        }
        // min-heap of the best k so far: the root is the easiest of them (lowest loss, then highest id)
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> harder(latestLosses, b, a));
        for (int id = 0; id < latestLosses.length; id++) {
            if (Float.isNaN(latestLosses[id])) {
                continue;
            }
            if (heap.size() < k) {
                heap.add(id);
            } else if (harder(latestLosses, id, heap.peek()) < 0) {
                heap.poll();
                heap.add(id);
            }
        }
        int[] ids = new int[heap.size()];
        for (int i = ids.length - 1; i >= 0; i--) {
            ids[i] = heap.poll();
        }
        return ids;
    }

    /** Negative when example {@code a} ranks before {@code b}: higher loss, or equal loss and lower id. */
    private static int harder(float[] losses, int a, int b) {
        int byLoss = Float.compare(losses[b], losses[a]);
        return byLoss != 0 ? byLoss : Integer.compare(a, b);
    }
}
