package io.upcycle.trainer.optimizer;

import ai.djl.training.optimizer.Optimizer;
import io.upcycle.model.checkpoint.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A DJL optimizer whose whole state can be saved and restored, so that a resumed run continues
 * exactly where the crashed one was; its learning rate is set by the loop before every step
 * (schedules, commands). DJL's own optimizers keep their moments in private fields.
 *
 * <p>State is exchanged as tensors named by a stable parameter name (the block's parameter path,
 * e.g. {@code 01Linear_weight}), because DJL's parameter ids are random per process.
 */
public abstract class ResumableOptimizer extends Optimizer {
    private float learningRate = Float.NaN;

    ResumableOptimizer() {
        super(new NoOptions());
    }

    /** The rate the next {@link #update} uses. */
    public final void setLearningRate(float learningRate) {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, was " + learningRate);
        }
        this.learningRate = learningRate;
    }

    final float learningRate() {
        return learningRate;
    }

    /** The optimizer's name as RunStarted's hyper-parameters carry it. */
    public abstract OptimizerKind kind();

    /** The state as tensors, named {@code <slot>.<parameter name>}; {@code names}: DJL parameter id to stable name. */
    public abstract List<Tensor> exportState(Map<String, String> names);

    /** Update counts per stable parameter name (Adam's bias correction depends on them). */
    public abstract Map<String, Long> exportCounts(Map<String, String> names);

    /** Restores what {@link #exportState} and {@link #exportCounts} gave; {@code ids}: stable name to DJL parameter id. */
    public abstract void importState(List<Tensor> state, Map<String, Long> counts, Map<String, String> ids);

    /** DJL's base class wants a builder; none of its options (rescale, clip, decay) is used here. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
