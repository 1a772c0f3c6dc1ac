package io.upcycle.merger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The human-readable record of a merge, written next to the merged weights: plan, experts (run,
 * task, step, sha256), method and parameters (the plan's {@code plan.*} ones included), the plan's
 * tags, the lambda search, timings and scores (with the easy/hard split of each task's training
 * examples where a reference checkpoint was found): the same provenance as the event.
 */
final class MergeCard {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MergeCard() {
    }

    /** Writes the card atomically (temporary file, then move) and returns its path. */
    static Path write(Path file, MergeCompleted event, String referenceUrl, Map<Double, Double> lambdaSearch,
                      long outputSizeBytes, String baseUri) {
        ObjectNode card = JSON.createObjectNode();
        card.put("mergeId", event.getMergeId());
        card.put("planId", event.getPlanId());
        card.put("method", event.getMethod());
        card.put("referenceUrl", referenceUrl);
        ObjectNode parameters = card.putObject("parameters");
        event.getParameters().forEach(parameters::put);
        ObjectNode tags = card.putObject("tags");
        event.getTags().forEach(tags::put);
        ObjectNode search = card.putObject("lambdaSearch");
        lambdaSearch.forEach((lambda, mean) -> search.put(Double.toString(lambda), mean));
        card.putObject("base").put("uri", baseUri).put("sha256", event.getBaseSha256());
        ArrayNode experts = card.putArray("experts");
        for (ExpertRef expert : event.getExperts()) {
            experts.addObject().put("runId", expert.getRunId()).put("task", expert.getTask()).put("step", expert.getStep())
                    .put("uri", expert.getUri()).put("sha256", expert.getSha256());
        }
        card.putObject("output").put("uri", event.getOutputUri()).put("sha256", event.getOutputSha256())
                .put("sizeBytes", outputSizeBytes);
        ArrayNode scores = card.putArray("scores");
        for (TaskScore score : event.getScores()) {
            ObjectNode node = scores.addObject().put("task", score.getTask()).put("mergedAccuracy", score.getMergedAccuracy())
                    .put("expertAccuracy", score.getExpertAccuracy()).put("normalizedAccuracy", score.getNormalizedAccuracy())
                    .put("examples", score.getExamples());
            DifficultyScore difficulty = score.getDifficulty();
            if (difficulty != null) {
                node.putObject("difficulty").put("split", "training examples by EL2N at the reference step")
                        .put("referenceStep", difficulty.getReferenceStep()).put("referenceUri", difficulty.getReferenceUri())
                        .put("referenceSha256", difficulty.getReferenceSha256())
                        .put("referenceVerified", difficulty.getReferenceVerified())
                        .put("hardFraction", difficulty.getHardFraction()).put("hardCutoff", difficulty.getHardCutoff())
                        .put("easyExamples", difficulty.getEasyExamples()).put("hardExamples", difficulty.getHardExamples())
                        .put("expertEasyAccuracy", difficulty.getExpertEasyAccuracy())
                        .put("expertHardAccuracy", difficulty.getExpertHardAccuracy())
                        .put("mergedEasyAccuracy", difficulty.getMergedEasyAccuracy())
                        .put("mergedHardAccuracy", difficulty.getMergedHardAccuracy());
            }
        }
        card.putObject("timings").put("mergeMillis", event.getMergeMillis()).put("evalMillis", event.getEvalMillis());
        card.put("device", event.getDevice());
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            JSON.writeValue(temp.toFile(), card);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CheckpointException("cannot write merge card " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
