package io.upcycle.cli.study;

import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.eval.LinearProbe;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.trainer.network.BaseModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The linear probes of a study: per (seed, task), a head fitted on the frozen base's features
 * ({@link LinearProbe}), fitted once. They are the baseline every merge is compared with, and with
 * {@code --heads probe} the frozen heads the experts start from (written as head files the trainer
 * reads, config key {@code head}).
 */
final class Probes {
    static final int EPOCHS = 30;
    static final double LEARNING_RATE = 3e-3;

    private final BaseModel base;
    private final TaskDataSource data;
    private final Map<String, LinearProbe.Result> fitted = new HashMap<>();

    Probes(BaseModel base, TaskDataSource data) {
        this.base = base;
        this.data = data;
    }

    /** The probe of {@code task} seeded {@code seed}. */
    synchronized LinearProbe.Result of(long seed, String task) {
        return fitted.computeIfAbsent(seed + "/" + task, key -> {
            Map<String, Tensor> tensors = new HashMap<>();
            base.weights().tensors().forEach(t -> tensors.put(t.name(), t));
            return new LinearProbe(EPOCHS, LEARNING_RATE, seed).fit(tensors, data.load(task));
        });
    }

    /** Writes the probe's head of (seed, task) into {@code folder} (once) and returns the file. */
    Path headFile(Path folder, long seed, String task) throws java.io.IOException {
        Path file = folder.resolve("probe-head-s" + seed + "-" + task + ".safetensors");
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(folder);
            Safetensors.write(file, of(seed, task).head(), Map.of("upcycle.probe.base_sha256", base.sha256(),
                    "upcycle.probe.seed", Long.toString(seed), "upcycle.probe.task", task,
                    "upcycle.probe.epochs", Integer.toString(EPOCHS), "upcycle.probe.learning_rate", Double.toString(LEARNING_RATE)));
        }
        return file;
    }
}
