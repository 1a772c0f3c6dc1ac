package io.upcycle.trainer.network;

import io.upcycle.model.LoraLayout;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.RunStarted;
import java.util.List;

/**
 * LoRA fine-tuning of one expert: the base trunk frozen, a rank-{@code r} adapter on each target
 * layer ({@code x W^T + b + (alpha / r) x A^T B^T}) and a new task head trained in full.
 *
 * <p>{@code A} starts small and seeded, {@code B} at zero, so a fresh adapter leaves the base's
 * output unchanged. An expert trained this way is checkpointed as its adapter alone
 * ({@link LoraLayout}).
 *
 * @param rank {@code r}, at least 1
 * @param alpha {@code lora_alpha}, positive
 * @param targets the adapted layers, a non-empty subset of {@link LoraLayout#TARGETS}, in network order
 */
public record LoraSettings(int rank, float alpha, List<String> targets) {

    public LoraSettings {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, was " + rank);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive number, was " + alpha);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target layer of " + LoraLayout.TARGETS);
        }
        targets.forEach(LoraLayout::checkTarget);
        // Network order, no repeats, whatever order they were given in.
        targets = LoraLayout.TARGETS.stream().filter(targets::contains).toList();
    }

    /** The factor the low-rank update is scaled by: {@code alpha / r}. */
    public float scale() {
        return alpha / rank;
    }

    /** Marks a run's start record as LoRA with this rank, alpha and targets. */
    public RunStarted describe(RunStarted started) {
        started.setMode(FineTuneMode.LORA);
        started.setLoraRank(rank);
        started.setLoraAlpha(alpha);
        started.setLoraTargets(targets);
        return started;
    }
}
