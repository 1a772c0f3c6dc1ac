package io.upcycle.merger.moe;

import io.upcycle.merger.ExpertTensors;
import io.upcycle.merger.eval.ExpertNetwork;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The dense expert network of an adapter (base + {@code (alpha/r) B A} + its head), the reference the MoE is normalized by. */
final class DenseExpert {
    private DenseExpert() {
    }

    static ExpertNetwork network(ExpertTensors tensors) {
        Map<String, Tensor> map = new HashMap<>();
        for (List<String> group : List.of(ExpertLayout.INPUT, ExpertLayout.TRUNK, ExpertLayout.HEAD)) {
            group.forEach(name -> map.put(name, tensors.read(name)));
        }
        return new ExpertNetwork(map);
    }
}
