package io.upcycle.model.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint written to the store: what a {@code CheckpointSaved} or {@code MergeCompleted}
 * event carries ({@code uri}, {@code sha256}, {@code sizeBytes}) plus the local path.
 */
public record StoredCheckpoint(String uri, String sha256, long sizeBytes, Path path) {
}
