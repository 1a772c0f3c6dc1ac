package io.upcycle.trainer.network;

import io.upcycle.files.Sha256;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.trainer.EpochSampler;
import io.upcycle.trainer.Evaluation;
import io.upcycle.trainer.StepRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains the shared base: the trunk plus a throwaway head, trained as a classifier on the
 * pretraining task ("fortune-pretrain"), keeping the epoch with the best validation loss. The
 * input standardization is fitted on the pretraining training split and becomes part of the base.
 *
 * <p>The base (standardization and trunk, never the pretraining head) is saved as
 * {@code <cache>/base-<key>.safetensors}, where the key hashes the settings and the data
 * fingerprint, and reused whenever that file exists.
 */
public final class BasePretrainer {
    private static final Logger LOG = LoggerFactory.getLogger(BasePretrainer.class);
    private static final String FORMAT = "v1";

    private final BaseSettings settings;
    private final Path cacheDir;

    public BasePretrainer(BaseSettings settings, Path cacheDir) {
        this.settings = settings;
        this.cacheDir = cacheDir;
    }

    /** The base for this data: from the cache when present, else pretrained now and cached. */
    public BaseModel obtain(TaskData pretrain) {
        String id = "base-" + key(pretrain);
        Path file = cacheDir.resolve(id + ".safetensors");
        if (Files.isRegularFile(file)) {
            return load(id, file);
        }
        return train(id, file, pretrain);
    }

    /** Where the base for this data lies (whether or not it exists yet). */
    public Path fileFor(TaskData pretrain) {
        return cacheDir.resolve("base-" + key(pretrain) + ".safetensors");
    }

    private String key(TaskData pretrain) {
        String description = String.join("|", FORMAT, "hidden=" + ExpertLayout.HIDDEN_DIM, settings.describe(),
                "task=" + pretrain.task(), "data=" + pretrain.fingerprint());
        return Sha256.of(description.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private BaseModel train(String id, Path file, TaskData pretrain) {
        long start = System.nanoTime();
        InputStandardization input = InputStandardization.fit(pretrain.train().features(), pretrain.train().dim());
        NetworkWeights initial = NetworkWeights.seeded(pretrain.classNames().size(), settings.seed()).withStandardization(input);
        float[] train = input.apply(pretrain.train().features());
        float[] validation = input.apply(pretrain.validation().features());
        int n = pretrain.train().size();
        int stepsPerEpoch = (n + settings.batchSize() - 1) / settings.batchSize();
        NetworkWeights best = null;
        Evaluation.Score bestScore = null;
        int bestEpoch = 0;
        try (ExpertNetwork network = ExpertNetwork.load(initial);
                StepRunner runner = new StepRunner(network, settings.learningRate())) {
            EpochSampler sampler = new EpochSampler(n, settings.batchSize(), settings.seed());
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                for (int s = 0; s < stepsPerEpoch; s++) {
                    runner.step(train, pretrain.train().labels(), sampler.next().exampleIds());
                }
                Evaluation.Score score = Evaluation.of(network, validation, pretrain.validation().labels());
                LOG.info("base pretraining epoch {}: validation loss {}, accuracy {}", epoch,
                        String.format("%.4f", score.loss()), String.format("%.4f", score.accuracy()));
                if (bestScore == null || score.loss() < bestScore.loss()) {
                    bestScore = score;
                    best = network.export().withoutHead();
                    bestEpoch = epoch;
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("upcycle.kind", "BASE");
        metadata.put(CheckpointMetadata.BASE_ID, id);
        metadata.put("upcycle.pretrain_task", pretrain.task());
        metadata.put("upcycle.pretrain_fingerprint", pretrain.fingerprint());
        metadata.put("upcycle.settings", settings.describe());
        metadata.put("upcycle.best_epoch", Integer.toString(bestEpoch));
        metadata.put("upcycle.validation_accuracy", Double.toString(bestScore.accuracy()));
        metadata.put("upcycle.validation_loss", Double.toString(bestScore.loss()));
        metadata.put("upcycle.train_millis", Long.toString(millis));
        Safetensors.write(file, best.tensors(), metadata);
        LOG.info("pretrained base {} in {} ms: epoch {} kept, validation accuracy {}", id, millis, bestEpoch,
                String.format("%.4f", bestScore.accuracy()));
        return new BaseModel(id, Sha256.of(file), file, best, bestScore.accuracy(), bestScore.loss(), bestEpoch, millis, false);
    }

    private static BaseModel load(String id, Path file) {
        String sha256 = Sha256.of(file);
        try (SafetensorsFile stored = Safetensors.open(file)) {
            List<Tensor> tensors = new ArrayList<>();
            for (String name : ExpertLayout.INPUT) {
                tensors.add(stored.read(name));
            }
            for (String name : ExpertLayout.TRUNK) {
                tensors.add(stored.read(name));
            }
            Map<String, String> meta = stored.metadata();
            LOG.info("reusing base {} from {}", id, file);
            return new BaseModel(id, sha256, file, NetworkWeights.of(tensors),
                    Double.parseDouble(meta.getOrDefault("upcycle.validation_accuracy", "NaN")),
                    Double.parseDouble(meta.getOrDefault("upcycle.validation_loss", "NaN")),
                    Integer.parseInt(meta.getOrDefault("upcycle.best_epoch", "0")),
                    Long.parseLong(meta.getOrDefault("upcycle.train_millis", "0")), true);
        }
    }
}
