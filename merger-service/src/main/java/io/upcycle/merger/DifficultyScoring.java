package io.upcycle.merger;

import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.eval.Accuracy;
import io.upcycle.merger.eval.DifficultySplit;
import io.upcycle.merger.eval.Evaluator;
import io.upcycle.merger.eval.NetworkTensors;
import io.upcycle.merger.eval.Predictions;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.Split;
import io.upcycle.schemas.avro.DifficultyScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the paper's claim that merging keeps what an expert learned from easy examples and
 * forgets the hard ones: ranks a task's training examples by EL2N under the run's early reference
 * checkpoint ({@code step-<referenceStep>.safetensors} next to the merged checkpoint, a full
 * checkpoint or a LoRA adapter), splits them with {@link DifficultySplit}, and scores the expert
 * and the merged network on each part.
 *
 * <p>The merger sees stop decisions only, not the {@code CheckpointSaved} events that announce the
 * reference file's hash, so the file is hashed as read and reported as not verified.
 */
final class DifficultyScoring {
    private static final Logger LOG = LoggerFactory.getLogger(DifficultyScoring.class);

    private final Evaluator evaluator;
    private final DifficultyOptions options;

    DifficultyScoring(Evaluator evaluator, DifficultyOptions options) {
        this.evaluator = evaluator;
        this.options = options;
    }

    /** Where the reference checkpoint of {@code expert}'s run lies. */
    Path referencePath(ExpertCheckpoint expert) {
        return CheckpointStore.toPath(expert.uri()).resolveSibling("step-" + options.referenceStep() + ".safetensors");
    }

    /**
     * The easy/hard accuracies of {@code expert} and {@code merged} on {@code train}; empty when the
     * run has no reference checkpoint or the split is empty.
     */
    Optional<DifficultyScore> score(ExpertCheckpoint expert, SafetensorsFile base, String baseSha256,
                                    NetworkTensors expertNetwork, NetworkTensors merged, Split train) {
        Path reference = referencePath(expert);
        if (!Files.isRegularFile(reference) || train.size() == 0) {
            LOG.warn("no difficulty split for run {}: {}", expert.runId(),
                    train.size() == 0 ? "its training split is empty" : "no reference checkpoint " + reference);
            return Optional.empty();
        }
        String sha256 = Sha256.of(reference);
        NetworkTensors early;
        try (SafetensorsFile file = Safetensors.open(reference)) {
            early = ExpertTensors.of(file, base, baseSha256).network();
        }
        DifficultySplit split = DifficultySplit.of(evaluator.predict(early, train).el2n(), options.hardFraction());
        Predictions expertPredictions = evaluator.predict(expertNetwork, train);
        Predictions mergedPredictions = evaluator.predict(merged, train);
        return Optional.of(DifficultyScore.newBuilder()
                .setReferenceStep(options.referenceStep()).setReferenceUri(reference.toUri().toString())
                .setReferenceSha256(sha256).setReferenceVerified(false)
                .setHardFraction(options.hardFraction()).setHardCutoff(split.cutoff())
                .setEasyExamples(split.easyCount()).setHardExamples(split.hardCount())
                .setExpertEasyAccuracy(value(expertPredictions.accuracy(split.hard(), false)))
                .setExpertHardAccuracy(value(expertPredictions.accuracy(split.hard(), true)))
                .setMergedEasyAccuracy(value(mergedPredictions.accuracy(split.hard(), false)))
                .setMergedHardAccuracy(value(mergedPredictions.accuracy(split.hard(), true)))
                .build());
    }

    private static double value(Accuracy accuracy) {
        return accuracy.value();
    }
}
