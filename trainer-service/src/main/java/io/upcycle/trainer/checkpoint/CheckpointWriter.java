package io.upcycle.trainer.checkpoint;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.trainer.events.EventClock;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.network.NetworkWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a run's checkpoints off the training thread, one at a time in step order, and announces
 * each one with {@link TrainingEvents#onCheckpoint} once its file is in place and hashed.
 *
 * <p>The training thread only copies the weights out of the engine ({@link ExpertNetwork#export});
 * writing, fsync and sha256 happen here, overlapping the next step's compute. Before publishing a
 * later step's events the loop calls {@link #awaitWritten()}, so that {@code CheckpointSaved(s)}
 * precedes every event of step s+1 in the log: a replay then sees the checkpoints the live
 * consumers saw. {@link #awaitAll()} waits for the queue to drain.
 */
public final class CheckpointWriter implements AutoCloseable {
    private final CheckpointStore store;
    private final String runId;
    private final Map<String, String> metadata;
    private final TrainingEvents events;
    private final EventClock clock;
    private final ExecutorService executor;
    private final List<Future<StoredCheckpoint>> written = new ArrayList<>();
    private long lastStep = -1;
    private long busyNanos;
    private Future<StoredCheckpoint> unannounced;

    public CheckpointWriter(CheckpointStore store, String runId, Map<String, String> metadata, TrainingEvents events, EventClock clock) {
        this.store = store;
        this.runId = runId;
        this.metadata = Map.copyOf(metadata);
        this.events = events;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "upcycle-checkpoint-writer-" + runId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues the full-weights checkpoint of {@code step}. */
    public void submit(long step, NetworkWeights weights) {
        submit(step, CheckpointContent.full(weights));
    }

    /** Queues the checkpoint of {@code step}: full weights or an adapter, with its own metadata added to the run's. */
    public void submit(long step, CheckpointContent content) {
        submit(step, content, null);
    }

    /**
     * As {@link #submit(long, CheckpointContent)}, first saving {@code state} (null: none) beside
     * the checkpoint, whose metadata then names the state file's sha256 (see {@link TrainingStateFiles}).
     */
    public void submit(long step, CheckpointContent content, TrainingState state) {
        lastStep = step;
        Map<String, String> fileMetadata = new LinkedHashMap<>(metadata);
        fileMetadata.putAll(content.metadata());
        unannounced = executor.submit(() -> {
            long start = System.nanoTime();
            if (state != null) {
                fileMetadata.put(TrainingStateFiles.META_STATE_SHA256, TrainingStateFiles.save(store, runId, state).sha256());
            }
            StoredCheckpoint stored = store.save(runId, step, content.kind().name(), content.tensors(), fileMetadata);
            events.onCheckpoint(CheckpointSaved.newBuilder()
                    .setRunId(runId)
                    .setStep(step)
                    .setUri(stored.uri())
                    .setSha256(stored.sha256())
                    .setSizeBytes(stored.sizeBytes())
                    .setKind(content.kind())
                    .build(), clock.at(step));
            synchronized (this) {
                busyNanos += System.nanoTime() - start;
            }
            return stored;
        });
        written.add(unannounced);
    }

    /**
     * Waits until every checkpoint submitted so far is written and its {@code CheckpointSaved}
     * handed to the events; returns the nanoseconds waited (0 at once when none is outstanding).
     */
    public long awaitWritten() {
        if (unannounced == null) {
            return 0;
        }
        long start = System.nanoTime();
        // One writer thread in submission order: the latest done means all done.
        await(unannounced);
        unannounced = null;
        return System.nanoTime() - start;
    }

    /** The step of the last checkpoint submitted, -1 if none. */
    public long lastStep() {
        return lastStep;
    }

    /** Waits until every queued checkpoint is written; returns the last one (null if none). */
    public StoredCheckpoint awaitAll() {
        StoredCheckpoint last = null;
        for (Future<StoredCheckpoint> future : written) {
            last = await(future);
        }
        unannounced = null;
        return last;
    }

    private StoredCheckpoint await(Future<StoredCheckpoint> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing checkpoints of run " + runId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing a checkpoint of run " + runId + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Time spent writing and hashing, on the writer's thread. */
    synchronized long busyNanos() {
        return busyNanos;
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
