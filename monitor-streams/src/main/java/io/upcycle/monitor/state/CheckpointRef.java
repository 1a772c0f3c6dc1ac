package io.upcycle.monitor.state;

/**
 * A checkpoint the run reported, as the monitor remembers it.
 *
 * @param step the training step of the weights
 * @param uri where the file lies in the checkpoint store
 * @param sha256 the file's content hash
 * @param timestamp event time of the {@code CheckpointSaved} record, which decides whether a
 *     stop decision may pick it (see {@link RunState#checkpointFor(long, long)})
 */
public record CheckpointRef(long step, String uri, String sha256, long timestamp) {
}
