package io.upcycle.trainer.checkpoint;

import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.trainer.network.NetworkWeights;
import java.util.List;
import java.util.Map;

/**
 * What one checkpoint of a run holds: full weights ({@code ExpertLayout} names) or a LoRA adapter
 * alone ({@code LoraLayout} names), with metadata of its own added to the run's.
 *
 * @param kind what the tensors are, as {@code CheckpointSaved} announces it
 * @param tensors the tensors to write
 * @param metadata extra file metadata (e.g. the adapter's rank and alpha)
 */
public record CheckpointContent(CheckpointKind kind, List<Tensor> tensors, Map<String, String> metadata) {

    public CheckpointContent {
        tensors = List.copyOf(tensors);
        metadata = Map.copyOf(metadata);
    }

    /** Full expert weights. */
    public static CheckpointContent full(NetworkWeights weights) {
        return new CheckpointContent(CheckpointKind.FULL_WEIGHTS, weights.tensors(), Map.of());
    }
}
