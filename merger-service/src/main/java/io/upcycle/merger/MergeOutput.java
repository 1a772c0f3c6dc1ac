package io.upcycle.merger;

import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out and writes a merged checkpoint: the merged {@code trunk.*}, the base's {@code input.*},
 * and per expert {@code experts.<runId>.head.*} and {@code experts.<runId>.input.*}, under
 * {@code <store>/merges/<mergeId>.safetensors}, with the card's path beside it.
 *
 * <p>The merge id is {@link MergeIds#of} over the method's parameters (the chosen lambda included).
 */
final class MergeOutput {
    static final String FOLDER = "merges";

    record Written(String mergeId, StoredCheckpoint output, Path card) {
    }

    private MergeOutput() {
    }

    static Written write(CheckpointStore store, MergePlan plan, List<ExpertCheckpoint> experts,
                         List<LambdaSearch.Candidate> candidates, SafetensorsFile base, Map<String, Tensor> merged,
                         MergeParameters parameters) {
        String mergeId = MergeIds.of(plan, experts, parameters.asStrings());
        List<Tensor> tensors = new ArrayList<>(merged.values());
        ExpertLayout.INPUT.forEach(name -> tensors.add(base.read(name)));
        for (int i = 0; i < experts.size(); i++) {
            String prefix = "experts." + experts.get(i).runId() + ".";
            for (String name : ExpertLayout.HEAD) {
                tensors.add(candidates.get(i).network().get(name).renamed(prefix + name));
            }
            for (String name : ExpertLayout.INPUT) {
                tensors.add(candidates.get(i).network().get(name).renamed(prefix + name));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("upcycle.merge_id", mergeId);
        metadata.put("upcycle.plan_id", plan.planId());
        metadata.put("upcycle.method", plan.method());
        metadata.put(CheckpointMetadata.BASE_SHA256, plan.baseSha256());
        parameters.asStrings().forEach((key, value) -> metadata.put("upcycle.parameter." + key, value));
        for (ExpertCheckpoint expert : experts) {
            metadata.put("upcycle.expert." + expert.runId(), expert.task() + "@" + expert.step() + " sha256:" + expert.sha256());
        }
        StoredCheckpoint output = store.saveAs(FOLDER, mergeId + ".safetensors", tensors, metadata);
        return new Written(mergeId, output, output.path().resolveSibling(mergeId + ".json"));
    }
}
