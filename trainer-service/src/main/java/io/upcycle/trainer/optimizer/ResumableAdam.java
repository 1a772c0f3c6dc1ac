package io.upcycle.trainer.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam exactly as DJL's {@code Adam} computes it (same bias correction in double, same fused
 * native {@code adamUpdate}, betas 0.9/0.999, eps 1e-8, no decay or clipping), but with its moments
 * and update counts readable and restorable: {@code adam.mean.<name>}, {@code adam.variance.<name>}.
 */
final class ResumableAdam extends ResumableOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    static final String MEAN = "adam.mean.";
    static final String VARIANCE = "adam.variance.";

    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, float[]> pendingMeans = new HashMap<>();
    private final Map<String, float[]> pendingVariances = new HashMap<>();

    @Override
    public OptimizerKind kind() {
        return OptimizerKind.ADAM;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        long t = counts.merge(parameterId, 1L, Long::sum);
        double coef1 = 1.0 - Math.pow(BETA1, (double) t);
        double coef2 = 1.0 - Math.pow(BETA2, (double) t);
        float lr = learningRate();
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(parameterId, id -> state(pendingMeans.remove(id), weight));
        NDArray variance = variances.computeIfAbsent(parameterId, id -> state(pendingVariances.remove(id), weight));
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), lr, corrected,
                0f, rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
    }

    private static NDArray state(float[] restored, NDArray weight) {
        if (restored == null) {
            return weight.zerosLike();
        }
        return weight.getManager().create(restored, new Shape(weight.getShape().getShape()));
    }

    @Override
    public List<Tensor> exportState(Map<String, String> names) {
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : means.entrySet()) {
            String name = stableName(names, entry.getKey());
            NDArray variance = variances.get(entry.getKey());
            tensors.add(new Tensor(MEAN + name, entry.getValue().getShape().getShape(), entry.getValue().toFloatArray()));
            tensors.add(new Tensor(VARIANCE + name, variance.getShape().getShape(), variance.toFloatArray()));
        }
        return tensors;
    }

    @Override
    public Map<String, Long> exportCounts(Map<String, String> names) {
        Map<String, Long> byName = new HashMap<>();
        counts.forEach((id, count) -> byName.put(stableName(names, id), count));
        return byName;
    }

    @Override
    public void importState(List<Tensor> state, Map<String, Long> restoredCounts, Map<String, String> ids) {
        for (Tensor tensor : state) {
            if (tensor.name().startsWith(MEAN)) {
                pendingMeans.put(id(ids, tensor.name().substring(MEAN.length())), tensor.data());
            } else if (tensor.name().startsWith(VARIANCE)) {
                pendingVariances.put(id(ids, tensor.name().substring(VARIANCE.length())), tensor.data());
            }
        }
        restoredCounts.forEach((name, count) -> counts.put(id(ids, name), count));
    }

    private static String stableName(Map<String, String> names, String id) {
        String name = names.get(id);
        if (name == null) {
            throw new IllegalStateException("optimizer state for unknown parameter id " + id);
        }
        return name;
    }

    private static String id(Map<String, String> ids, String name) {
        String id = ids.get(name);
        if (id == null) {
            throw new IllegalStateException("saved optimizer state names parameter '" + name + "', which this network lacks");
        }
        return id;
    }
}
