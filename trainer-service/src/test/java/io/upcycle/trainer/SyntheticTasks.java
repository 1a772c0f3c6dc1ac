package io.upcycle.trainer;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.tasks.DatasetFingerprint;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.BasePretrainer;
import io.upcycle.trainer.network.BaseSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small separable tasks in the real input width: one Gaussian cluster per class, seeded. */
public final class SyntheticTasks {
    private SyntheticTasks() {
    }

    /** {@code classes} clusters with unit noise around centres {@code separation} apart on random axes. */
    public static TaskData clusters(String name, int classes, int trainSize, double separation, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int dim = ExpertLayout.INPUT_DIM;
        float[][] centres = new float[classes][dim];
        for (float[] centre : centres) {
            for (int d = 0; d < dim; d++) {
                centre[d] = (float) (random.nextGaussian() * separation / Math.sqrt(dim) + 0.5);
            }
        }
        Split train = split("train", trainSize, centres, random);
        Split validation = split("validation", Math.max(classes, trainSize / 4), centres, random);
        Split test = split("test", Math.max(classes, trainSize / 4), centres, random);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class-" + c);
        }
        return new TaskData(name, names, train, validation, test, seed, DatasetFingerprint.of(train));
    }

    private static Split split(String name, int n, float[][] centres, SplittableRandom random) {
        int dim = ExpertLayout.INPUT_DIM;
        float[] features = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % centres.length;
            for (int d = 0; d < dim; d++) {
                features[i * dim + d] = centres[labels[i]][d] + (float) random.nextGaussian();
            }
        }
        return new Split(name, dim, features, labels);
    }

    /** The pretraining set the trainer tests share: 6 well-separated clusters. */
    public static TaskData tinyPretrain() {
        return clusters("synthetic-pretrain", 6, 384, 6, 1);
    }

    /** The fine-tuning task the trainer tests share: 3 separable clusters. */
    static TaskData tinyTask() {
        return clusters("synthetic-task", 3, 300, 4, 2);
    }

    /** A small base pretrained on {@link #tinyPretrain()} (2 epochs), cached in {@code dir}. */
    public static BaseModel tinyBase(Path dir) {
        return new BasePretrainer(new BaseSettings(2, 1e-3f, 64, 0), dir).obtain(tinyPretrain());
    }
}
