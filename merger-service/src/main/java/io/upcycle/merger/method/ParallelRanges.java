package io.upcycle.merger.method;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The merge's CPU threads: one per core, the calling thread being one of them, so a merge on plain
 * arrays uses the whole machine. The pool's threads are daemons and live as long as the JVM.
 */
public final class ParallelRanges {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, new Factory());

    /** Work on values {@code [from, from + count)} with the worker's own {@code state}. */
    @FunctionalInterface
    public interface RangeBody<S> {
        void apply(S state, long from, int count);
    }

    private ParallelRanges() {
    }

    /** How many threads a merge runs on. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code task.accept(i)} for {@code i} in {@code [0, tasks)}, at once on the merge threads
     * (the caller runs task 0), and returns when all are done; the first failure is rethrown.
     */
    public static void each(int tasks, IntConsumer task) {
        if (tasks <= 1 || POOL == null) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(tasks - 1);
        for (int i = 1; i < tasks; i++) {
            int index = i;
            others.add(POOL.submit(() -> task.accept(index)));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                others.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while merging", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Cuts {@code [0, n)} into ranges of at most {@code range} values and hands them to one worker per
     * thread, each with its own state from {@code states}; answers the workers' states, to be combined.
     */
    public static <S> List<S> run(long n, int range, Supplier<S> states, RangeBody<S> body) {
        if (range < 1) {
            throw new IllegalArgumentException("range must be >= 1, was " + range);
        }
        long ranges = (n + range - 1) / range;
        int workers = (int) Math.max(1, Math.min(THREADS, ranges));
        List<S> all = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            all.add(states.get());
        }
        AtomicLong next = new AtomicLong();
        each(workers, w -> {
            S state = all.get(w);
            for (long r = next.getAndIncrement(); r < ranges; r = next.getAndIncrement()) {
                long from = r * range;
                body.apply(state, from, (int) Math.min(range, n - from));
            }
        });
        return all;
    }

    private static final class Factory implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "upcycle-merge-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
