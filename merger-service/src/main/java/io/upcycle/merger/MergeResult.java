package io.upcycle.merger;

import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.MergeCompleted;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one merge produced: the event published for it, the merged checkpoint in the store, its
 * JSON card, and the lambda search (lambda to mean validation accuracy).
 */
public record MergeResult(MergeCompleted event, StoredCheckpoint output, Path card, double lambda,
                          Map<Double, Double> meanValidationByLambda) {
}
