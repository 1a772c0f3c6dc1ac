package io.upcycle.trainer.checkpoint;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a {@link TrainingState} as {@code <run>/state-<step>.safetensors} beside the checkpoint of
 * the same step. The checkpoint's metadata carries the state file's sha256 under
 * {@link #META_STATE_SHA256}, so verifying the checkpoint against its {@code CheckpointSaved} event
 * also pins the state; the checkpoint itself keeps only the layout's tensors, as the merger expects.
 */
final class TrainingStateFiles {
    /** Checkpoint metadata key: sha256 of the training state saved with it. */
    static final String META_STATE_SHA256 = "upcycle.training_state_sha256";
    private static final String PREFIX = "upcycle.state.";

    private TrainingStateFiles() {
    }

    static String fileName(long step) {
        return "state-" + step + ".safetensors";
    }

    static StoredCheckpoint save(CheckpointStore store, String runId, TrainingState state) {
        List<Tensor> tensors = new ArrayList<>(state.parameters());
        tensors.addAll(state.optimizerState());
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PREFIX + "step", Long.toString(state.step()));
        metadata.put(PREFIX + "epoch", Integer.toString(state.epoch()));
        metadata.put(PREFIX + "position", Integer.toString(state.position()));
        metadata.put(PREFIX + "base_learning_rate", Float.toString(state.baseLearningRate()));
        metadata.put(PREFIX + "optimizer", state.optimizer().configName());
        state.counts().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> metadata.put(PREFIX + "count." + e.getKey(), Long.toString(e.getValue())));
        return store.saveAs(runId, fileName(state.step()), tensors, metadata);
    }

    /** Reads the state at {@code uri}, refusing it unless its sha256 is {@code sha256}. */
    static TrainingState load(CheckpointStore store, String uri, String sha256) {
        try (SafetensorsFile file = store.openVerified(uri, sha256)) {
            Map<String, String> meta = file.metadata();
            List<Tensor> parameters = new ArrayList<>();
            List<Tensor> optimizer = new ArrayList<>();
            for (String name : file.names()) {
                (name.startsWith(TrainingState.PARAMETER) ? parameters : optimizer).add(file.read(name));
            }
            Map<String, Long> counts = new HashMap<>();
            meta.forEach((key, value) -> {
                if (key.startsWith(PREFIX + "count.")) {
                    counts.put(key.substring((PREFIX + "count.").length()), Long.parseLong(value));
                }
            });
            return new TrainingState(Long.parseLong(meta.get(PREFIX + "step")), Integer.parseInt(meta.get(PREFIX + "epoch")),
                    Integer.parseInt(meta.get(PREFIX + "position")), Float.parseFloat(meta.get(PREFIX + "base_learning_rate")),
                    OptimizerKind.parse(meta.get(PREFIX + "optimizer")), parameters, optimizer, counts);
        }
    }
}
