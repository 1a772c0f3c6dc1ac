package io.upcycle.trainer.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.trainer.EpochSampler;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.optimizer.OptimizerKind;
import io.upcycle.trainer.optimizer.ResumableOptimizer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything beyond the weights that a run needs to continue exactly after step {@link #step}:
 * the trainable parameters as the engine holds them (named by their block path, so that full and
 * LoRA runs are alike), the optimizer's moments and update counts, the data order's position and
 * the base learning rate in force. Saved next to each checkpoint by {@link TrainingStateFiles}.
 *
 * @param step optimizer steps completed
 * @param epoch the sampler's epoch after that step
 * @param position the sampler's position in that epoch
 * @param baseLearningRate the base rate (config or last command) in force
 * @param optimizer which optimizer the state belongs to
 * @param parameters trainable parameters, named by block path
 * @param optimizerState the optimizer's tensors ({@link ResumableOptimizer#exportState})
 * @param counts the optimizer's update counts by parameter name
 */
public record TrainingState(long step, int epoch, int position, float baseLearningRate, OptimizerKind optimizer,
                     List<Tensor> parameters, List<Tensor> optimizerState, Map<String, Long> counts) {
    static final String PARAMETER = "param.";

    /** Copies the state out of the engine; call it on the training thread, between steps. */
    public static TrainingState capture(long step, EpochSampler sampler, float baseLearningRate, ExpertNetwork network,
                                 ResumableOptimizer optimizer) {
        List<Tensor> parameters = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> entry : network.model().getBlock().getParameters()) {
            names.put(entry.getValue().getId(), entry.getKey());
            if (entry.getValue().requiresGradient()) {
                NDArray array = entry.getValue().getArray();
                parameters.add(new Tensor(PARAMETER + entry.getKey(), array.getShape().getShape(), array.toFloatArray()));
            }
        }
        return new TrainingState(step, sampler.epoch(), sampler.position(), baseLearningRate, optimizer.kind(),
                parameters, optimizer.exportState(names), optimizer.exportCounts(names));
    }

    /** Writes the parameters into {@code network} and the optimizer state into {@code optimizer}. */
    void restore(ExpertNetwork network, ResumableOptimizer optimizer) {
        if (optimizer.kind() != this.optimizer) {
            throw new IllegalStateException("the saved state is of optimizer " + this.optimizer.configName()
                    + " but the run is configured with " + optimizer.kind().configName());
        }
        Map<String, Tensor> byName = new HashMap<>();
        parameters.forEach(t -> byName.put(t.name().substring(PARAMETER.length()), t));
        Map<String, String> ids = new HashMap<>();
        for (Pair<String, Parameter> entry : network.model().getBlock().getParameters()) {
            ids.put(entry.getKey(), entry.getValue().getId());
            if (!entry.getValue().requiresGradient()) {
                continue;
            }
            Tensor saved = byName.remove(entry.getKey());
            NDArray array = entry.getValue().getArray();
            if (saved == null || !Arrays.equals(saved.shape(), array.getShape().getShape())) {
                throw new IllegalStateException("the saved state lacks trainable parameter '" + entry.getKey()
                        + "' of shape " + array.getShape() + (saved == null ? "" : "; it has " + Arrays.toString(saved.shape())));
            }
            array.set(FloatBuffer.wrap(saved.data()));
        }
        if (!byName.isEmpty()) {
            throw new IllegalStateException("the saved state has parameters this network does not train: " + byName.keySet());
        }
        optimizer.importState(optimizerState, counts, ids);
    }
}
