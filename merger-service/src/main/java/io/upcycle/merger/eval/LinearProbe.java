package io.upcycle.merger.eval;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.TaskData;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The baseline that merging has to beat: a linear head trained on the frozen base trunk's features
 * (softmax regression, Adam, seeded mini-batches), the epoch with the best validation accuracy
 * kept, scored on test. Plain Java: the features are 256 wide and the tasks have a few thousand
 * examples, so one probe takes about a second.
 */
public final class LinearProbe {
    private static final int BATCH = 64;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /**
     * What the probe scored.
     *
     * @param testAccuracy accuracy on the test split with the kept head
     * @param validationAccuracy accuracy on the validation split with the kept head
     * @param bestEpoch the epoch (1-based) whose head was kept
     * @param testExamples size of the test split
     * @param head the kept head as the expert network's {@code head.weight} {@code [classes, hidden]} and {@code head.bias}
     */
    public record Result(double testAccuracy, double validationAccuracy, int bestEpoch, int testExamples, List<Tensor> head) {
    }

    private final int epochs;
    private final double learningRate;
    private final long seed;

    public LinearProbe(int epochs, double learningRate, long seed) {
        if (epochs < 1) {
            throw new IllegalArgumentException("a linear probe needs >= 1 epoch, got " + epochs);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("a linear probe needs a learning rate > 0, got " + learningRate);
        }
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /** Fits a head for {@code task} on the features of {@code base} (input standardization and trunk tensors). */
    public Result fit(Map<String, Tensor> base, TaskData task) {
        int classes = task.classNames().size();
        float[][] train = features(base, task.train());
        float[][] validation = features(base, task.validation());
        float[][] test = features(base, task.test());
        int dim = (int) tensor(base, ExpertLayout.TRUNK1_WEIGHT).shape()[0];
        double[] weights = new double[classes * (dim + 1)];
        double[] best = weights.clone();
        double bestValidation = -1;
        int bestEpoch = 0;
        Adam adam = new Adam(weights.length);
        int[] order = new int[train.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] gradient = new double[weights.length];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += BATCH) {
                int end = Math.min(order.length, start + BATCH);
                java.util.Arrays.fill(gradient, 0);
                for (int k = start; k < end; k++) {
                    accumulate(weights, train[order[k]], task.train().labels()[order[k]], classes, gradient);
                }
                adam.step(weights, gradient, 1.0 / (end - start), learningRate);
            }
            double accuracy = accuracy(weights, validation, task.validation().labels(), classes);
            if (accuracy > bestValidation) {
                bestValidation = accuracy;
                best = weights.clone();
                bestEpoch = epoch;
            }
        }
        return new Result(accuracy(best, test, task.test().labels(), classes), bestValidation, bestEpoch, test.length,
                head(best, classes, dim));
    }

    /** The flat weights (per class: {@code dim} weights, then the bias) as the network's head tensors, in float32. */
    private static List<Tensor> head(double[] weights, int classes, int dim) {
        float[] weight = new float[classes * dim];
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dim; d++) {
                weight[c * dim + d] = (float) weights[c * (dim + 1) + d];
            }
            bias[c] = (float) weights[c * (dim + 1) + dim];
        }
        return List.of(Tensor.of(ExpertLayout.HEAD_WEIGHT, weight, classes, dim), Tensor.of(ExpertLayout.HEAD_BIAS, bias, classes));
    }

    /** The frozen trunk's output for every row of {@code split}: relu(W1 relu(W0 std(x) + b0) + b1). */
    static float[][] features(Map<String, Tensor> base, Split split) {
        float[] mean = tensor(base, ExpertLayout.INPUT_MEAN).data();
        float[] std = tensor(base, ExpertLayout.INPUT_STD).data();
        float[][] out = new float[split.size()][];
        for (int i = 0; i < split.size(); i++) {
            float[] x = split.row(i);
            for (int c = 0; c < x.length; c++) {
                x[c] = (x[c] - mean[c]) / std[c];
            }
            float[] hidden = dense(tensor(base, ExpertLayout.TRUNK0_WEIGHT), tensor(base, ExpertLayout.TRUNK0_BIAS), x);
            out[i] = dense(tensor(base, ExpertLayout.TRUNK1_WEIGHT), tensor(base, ExpertLayout.TRUNK1_BIAS), hidden);
        }
        return out;
    }

    private static float[] dense(Tensor weight, Tensor bias, float[] x) {
        int rows = (int) weight.shape()[0];
        int cols = (int) weight.shape()[1];
        float[] w = weight.data();
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            float sum = bias.data()[r];
            for (int c = 0, o = r * cols; c < cols; c++) {
                sum += w[o + c] * x[c];
            }
            y[r] = Math.max(0f, sum);
        }
        return y;
    }

    private static Tensor tensor(Map<String, Tensor> base, String name) {
        Tensor tensor = base.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("the base has no tensor '" + name + "'; a linear probe needs "
                    + ExpertLayout.INPUT + " and " + ExpertLayout.TRUNK);
        }
        return tensor;
    }

    /** Adds the cross-entropy gradient of one example to {@code gradient} (rows: class weights, then the bias). */
    private static void accumulate(double[] weights, float[] x, int label, int classes, double[] gradient) {
        double[] p = softmax(logits(weights, x, classes));
        int stride = x.length + 1;
        for (int c = 0; c < classes; c++) {
            double error = p[c] - (c == label ? 1 : 0);
            int o = c * stride;
            for (int d = 0; d < x.length; d++) {
                gradient[o + d] += error * x[d];
            }
            gradient[o + x.length] += error;
        }
    }

    static double[] logits(double[] weights, float[] x, int classes) {
        int stride = x.length + 1;
        double[] logits = new double[classes];
        for (int c = 0; c < classes; c++) {
            int o = c * stride;
            double sum = weights[o + x.length];
            for (int d = 0; d < x.length; d++) {
                sum += weights[o + d] * x[d];
            }
            logits[c] = sum;
        }
        return logits;
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double total = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < logits.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            total += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= total;
        }
        return p;
    }

    static double accuracy(double[] weights, float[][] rows, int[] labels, int classes) {
        if (rows.length == 0) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < rows.length; i++) {
            double[] logits = logits(weights, rows[i], classes);
            int argMax = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[c] > logits[argMax]) {
                    argMax = c;
                }
            }
            correct += argMax == labels[i] ? 1 : 0;
        }
        return (double) correct / rows.length;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Adam's moment estimates over a flat parameter vector. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private int t;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void step(double[] weights, double[] gradient, double scale, double rate) {
            t++;
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < weights.length; i++) {
                double g = gradient[i] * scale;
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                weights[i] -= rate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
            }
        }
    }
}
