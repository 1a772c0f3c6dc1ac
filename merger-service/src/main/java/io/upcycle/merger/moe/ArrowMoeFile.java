package io.upcycle.merger.moe;

import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upcycles LoRA adapters of one base into a training-free Arrow MoE ({@code moe_arrow}) and writes it
 * to a file, in the layout of {@link MoeOutput} with experts named by index
 * ({@code experts.<i>.trunk.<l>.lora_A.weight}, ...): what {@code upcycle merge --method moe_arrow}
 * does on files. Nothing is scored (no task data on that path); {@code moe_router}, whose router is
 * trained on task data, is refused.
 */
public final class ArrowMoeFile {
    /** The paper of Arrow routing (a prototype per LoRA expert from its top singular vector). */
    public static final String REFERENCE_URL = "https://arxiv.org/abs/2405.11157";

    /** How many tensors were written and which parameters describe the MoE. */
    public record Written(int routerTensors, int tensors, Map<String, String> parameters) {
    }

    private ArrowMoeFile() {
    }

    /**
     * Builds the Arrow routers of {@code adapters} over {@code base} (its {@code input.*} and
     * {@code trunk.*} tensors) and writes base, adapters, heads and routers to {@code out} with
     * {@code metadata} plus the method, its parameters and each expert's rank and alpha.
     */
    public static Written write(Path out, Map<String, Tensor> base, List<LoraAdapter> adapters, MoeOptions options,
                                Map<String, String> metadata) {
        if (options.topK() > adapters.size()) {
            throw new IllegalArgumentException("top_k " + options.topK() + " exceeds the " + adapters.size() + " adapters given");
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < adapters.size(); i++) {
            keys.add(Integer.toString(i));
            MoeUpcycler.requireEveryLayer(adapters.get(i), "number " + i);
        }
        MoeTrunk trunk = MoeBuild.arrow(base, MoeBuild.updates(adapters), options.topK(), options.seed());
        Map<String, String> parameters = MoeUpcycler.describe(MoeUpcycler.ARROW, options);
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put("upcycle.method", MoeUpcycler.ARROW);
        parameters.forEach((key, value) -> all.put("upcycle.parameter." + key, value));
        List<Tensor> tensors = MoeOutput.tensors(base, keys, adapters, trunk.routers(), all);
        Safetensors.write(out, tensors, all);
        int routerTensors = (int) tensors.stream().filter(t -> t.name().startsWith("router.")).count();
        return new Written(routerTensors, tensors.size(), parameters);
    }
}
