package io.upcycle.trainer.network;

import java.nio.file.Path;

/**
 * The pretrained base every expert starts from: trunk plus input standardization (no head),
 * stored as a safetensors file whose sha256 identifies it in every {@code RunStarted}.
 *
 * @param id stable name of the base, derived from its configuration and pretraining data
 * @param sha256 hash of the file at {@code path}
 * @param path the safetensors file
 * @param weights the trunk and standardization, as loaded from or written to {@code path}
 * @param validationAccuracy accuracy of the kept epoch on the pretraining validation split
 * @param validationLoss its validation loss (the selection criterion)
 * @param bestEpoch the kept epoch (1-based)
 * @param trainMillis how long pretraining took (as recorded when it was trained)
 * @param reused whether this process found the base in the cache instead of training it
 */
public record BaseModel(String id, String sha256, Path path, NetworkWeights weights, double validationAccuracy,
                        double validationLoss, int bestEpoch, long trainMillis, boolean reused) {
}
