package io.upcycle.merger.moe;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.schemas.avro.MergeCompleted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an upcycled MoE to {@code <store>/merges/<mergeId>.safetensors} (the folder merges use):
 * the base's {@code input.*} and {@code trunk.*} unchanged; per expert (by run id)
 * {@code experts.<runId>.trunk.<l>.lora_A.weight} / {@code .lora_B.weight} and
 * {@code experts.<runId>.head.*}; per layer the router's tensors {@code router.trunk.<l>.*}. Each
 * expert's {@code alpha} and {@code r} go into the metadata ({@code upcycle.expert.<runId>.lora_alpha},
 * {@code .r}) with the method and parameters, so the file is self-describing.
 *
 * <p>The merge id comes from {@link io.upcycle.merger.MergeIds#of}, as for merges. The card is the event as JSON.
 */
final class MoeOutput {
    static final String FOLDER = "merges";

    record Written(String mergeId, StoredCheckpoint output) {
    }

    private MoeOutput() {
    }

    static Written write(CheckpointStore store, String mergeId, MergePlan plan, List<ExpertCheckpoint> experts,
                         List<LoraAdapter> adapters, Map<String, Tensor> base, Map<String, LayerRouter> routers,
                         Map<String, String> parameters) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("upcycle.merge_id", mergeId);
        metadata.put("upcycle.plan_id", plan.planId());
        metadata.put("upcycle.method", plan.method());
        metadata.put(CheckpointMetadata.BASE_SHA256, plan.baseSha256());
        parameters.forEach((key, value) -> metadata.put("upcycle.parameter." + key, value));
        List<String> keys = experts.stream().map(ExpertCheckpoint::runId).toList();
        for (ExpertCheckpoint expert : experts) {
            metadata.put("upcycle.expert." + expert.runId(), expert.task() + "@" + expert.step() + " sha256:" + expert.sha256());
        }
        List<Tensor> tensors = tensors(base, keys, adapters, routers, metadata);
        StoredCheckpoint output = store.saveAs(FOLDER, mergeId + ".safetensors", tensors, metadata);
        return new Written(mergeId, output);
    }

    /**
     * The MoE's tensors in file order, with each expert's rank and alpha added to {@code metadata};
     * expert {@code i}'s tensors are named {@code experts.<keys[i]>.*}.
     */
    static List<Tensor> tensors(Map<String, Tensor> base, List<String> keys, List<LoraAdapter> adapters,
                                Map<String, LayerRouter> routers, Map<String, String> metadata) {
        List<Tensor> tensors = new ArrayList<>();
        ExpertLayout.INPUT.forEach(name -> tensors.add(base.get(name)));
        ExpertLayout.TRUNK.forEach(name -> tensors.add(base.get(name)));
        for (int i = 0; i < keys.size(); i++) {
            LoraAdapter adapter = adapters.get(i);
            String prefix = "experts." + keys.get(i) + ".";
            for (String target : adapter.targets()) {
                tensors.add(adapter.a().get(target).renamed(prefix + target + ".lora_A.weight"));
                tensors.add(adapter.b().get(target).renamed(prefix + target + ".lora_B.weight"));
            }
            tensors.add(adapter.headWeight().renamed(prefix + ExpertLayout.HEAD_WEIGHT));
            tensors.add(adapter.headBias().renamed(prefix + ExpertLayout.HEAD_BIAS));
            metadata.put("upcycle.expert." + keys.get(i) + "." + LoraLayout.META_RANK, Integer.toString(adapter.rank()));
            metadata.put("upcycle.expert." + keys.get(i) + "." + LoraLayout.META_ALPHA, Float.toString(adapter.alpha()));
        }
        routers.forEach((layer, router) -> tensors.addAll(router.tensors("router." + layer + ".")));
        return tensors;
    }

    /** The event as JSON next to the weights ({@code <mergeId>.json}), written atomically. */
    static Path card(StoredCheckpoint output, MergeCompleted event) {
        Path file = output.path().resolveSibling(event.getMergeId() + ".json");
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(temp, event.toString(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new CheckpointException("cannot write MoE card " + file + ": " + e.getMessage(), e);
        }
    }
}
