package io.upcycle.trainer.optimizer;

import ai.djl.ndarray.NDArray;
import io.upcycle.model.checkpoint.Tensor;
import java.util.List;
import java.util.Map;

/** Plain stochastic gradient descent, {@code w -= lr * g}: no momentum, so no state to save. */
final class PlainSgd extends ResumableOptimizer {

    @Override
    public OptimizerKind kind() {
        return OptimizerKind.SGD;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        try (NDArray delta = grad.mul(learningRate())) {
            weight.subi(delta);
        }
    }

    @Override
    public List<Tensor> exportState(Map<String, String> names) {
        return List.of();
    }

    @Override
    public Map<String, Long> exportCounts(Map<String, String> names) {
        return Map.of();
    }

    @Override
    public void importState(List<Tensor> state, Map<String, Long> counts, Map<String, String> ids) {
        // stateless
    }
}
