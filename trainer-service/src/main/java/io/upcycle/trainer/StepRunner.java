package io.upcycle.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.upcycle.model.ExpertLayout;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.optimizer.ResumableOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step at a time on an {@link ExpertNetwork}: forward, per-example cross-entropy,
 * backward of their mean, Adam with a constant learning rate (DJL's {@link Trainer}).
 *
 * <p>A step whose gradient norm is NaN or infinite while its loss is finite is recomputed once,
 * its gradients dropped and nothing updated: in this network (linear layers and ReLU) a finite
 * loss has a finite gradient, and a demo saw one such step once (LoRA, step 34, loss 0.44) where
 * the same run with the same seed trained cleanly before. A second such result is returned as is,
 * and the trainer fails the run.
 *
 * <p>Every temporary array of a step lives in a sub-manager closed at the end of the step, so
 * memory stays flat however long the run; only parameters and Adam's moments persist.
 */
public final class StepRunner implements AutoCloseable {
    /**
     * DJL's PyTorch engine allows one collecting {@link GradientCollector} per process, so experts
     * trained on threads of one JVM take turns for the gradient part of a step. Experts in
     * separate processes do not share it.
     */
    private static final ReentrantLock GRADIENT_TAPE = new ReentrantLock(true);

    /** Tries of one step: a non-finite gradient with a finite loss is recomputed once before it fails the run. */
    static final int ATTEMPTS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final ExpertNetwork network;
    private final Trainer trainer;
    /** Sees each attempt's gradients before their norm is taken (tests inject faults here). */
    private Consumer<List<NDArray>> afterBackward = gradients -> { };

    /** The outcome of one step: per-example statistics (before the update) and the gradient norm. */
    record StepOutcome(BatchStatistics statistics, double gradientNorm) {
    }

    public StepRunner(ExpertNetwork network, float learningRate) {
        this(network, Adam.builder().optLearningRateTracker(Tracker.fixed(learningRate)).build());
    }

    /** With an optimizer of the caller's, e.g. a {@link ResumableOptimizer} whose rate the caller sets per step. */
    public StepRunner(ExpertNetwork network, Optimizer optimizer) {
        this.network = network;
        // The trainer's loss is never used (DJL's losses average); the config requires one.
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()});
        this.trainer = network.model().newTrainer(config);
        this.trainer.initialize(new Shape(1, ExpertLayout.INPUT_DIM));
    }

    /** Hands each attempt's gradients to {@code hook} right after the backward pass (tests). */
    StepRunner afterBackward(Consumer<List<NDArray>> hook) {
        this.afterBackward = hook;
        return this;
    }

    /**
     * Trains on the examples {@code ids} of a standardized row-major feature matrix.
     *
     * @param standardized all examples, {@code n x 384}, already standardized
     * @param labels all labels
     * @param ids the batch's example ids
     */
    public StepOutcome step(float[] standardized, int[] labels, int[] ids) {
        int dim = ExpertLayout.INPUT_DIM;
        float[] x = new float[ids.length * dim];
        long[] y = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(standardized, ids[i] * dim, x, i * dim, dim);
            y[i] = labels[ids[i]];
        }
        GRADIENT_TAPE.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try (NDManager step = trainer.getManager().newSubManager()) {
                    NDArray inputs = step.create(x, new Shape(ids.length, dim));
                    NDArray targets = step.create(y);
                    BatchStatistics statistics;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(inputs)).singletonOrThrow();
                        NDArray perExample = BatchStatistics.perExampleLoss(logits, targets);
                        NDArray loss = perExample.mean();
                        collector.backward(loss);
                        statistics = BatchStatistics.read(logits, targets, perExample, loss.getFloat());
                    }
                    List<NDArray> gradients = gradients(step);
                    afterBackward.accept(gradients);
                    double norm = l2Norm(gradients);
                    if (!Double.isFinite(norm) && Float.isFinite(statistics.meanLoss()) && attempt < ATTEMPTS) {
                        // A finite loss cannot give a non-finite gradient in this network: something
                        // broke the backward pass once. Drop it, leaving weights and Adam untouched, and redo the step.
                        LOG.warn("step: gradient norm {} although the batch loss is {}; gradients dropped, step recomputed"
                                + " (attempt {} of {})", norm, statistics.meanLoss(), attempt + 1, ATTEMPTS);
                        dropGradients();
                        continue;
                    }
                    trainer.step();
                    return new StepOutcome(statistics, norm);
                }
            }
        } finally {
            GRADIENT_TAPE.unlock();
        }
    }

    /** Sets every trainable parameter's gradient to zero (also a NaN one, which subtracting itself would keep). */
    private void dropGradients() {
        for (Pair<String, Parameter> parameter : network.model().getBlock().getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                JniUtils.zeroGrad((PtNDArray) parameter.getValue().getArray());
            }
        }
    }

    /** The trainable parameters' gradients, as arrays of {@code step} (the gradients themselves, not copies). */
    private List<NDArray> gradients(NDManager step) {
        List<NDArray> gradients = new ArrayList<>();
        for (Pair<String, Parameter> parameter : network.model().getBlock().getParameters()) {
            if (!parameter.getValue().requiresGradient()) {
                continue; // frozen (a LoRA base): no gradient
            }
            NDArray gradient = parameter.getValue().getArray().getGradient();
            gradient.attach(step);
            gradients.add(gradient);
        }
        return gradients;
    }

    /**
     * The L2 norm of all {@code arrays} together, read in one transfer. Squares are summed in
     * float32, which overflows once an entry passes about 1.8e19 although every entry is finite
     * (long LoRA runs at lr 3e-3 get there and train on); only then is the sum redone in float64,
     * so that the norm is infinite or NaN only when an entry is.
     */
    static double l2Norm(List<NDArray> arrays) {
        float norm = sumOfSquares(arrays, DataType.FLOAT32).sqrt().getFloat();
        return Float.isFinite(norm) ? norm : sumOfSquares(arrays, DataType.FLOAT64).sqrt().getDouble();
    }

    private static NDArray sumOfSquares(List<NDArray> arrays, DataType type) {
        NDList squares = new NDList();
        for (NDArray array : arrays) {
            // The gradients are float32: only the float64 recount converts them.
            NDArray values = array.getDataType() == type ? array : array.toType(type, false);
            squares.add(values.square().sum());
        }
        return NDArrays.stack(squares).sum();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
