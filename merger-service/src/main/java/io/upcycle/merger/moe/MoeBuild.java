package io.upcycle.merger.moe;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Assembles the {@link MoeTrunk} of the base and the experts' updates with one of the two routers.
 *
 * <p>{@code moe_arrow}: each layer's router holds the experts' {@link ArrowPrototypes prototypes} at
 * that layer; nothing is trained. {@code moe_router}: layers are built in order; layer 0's router is
 * trained on the standardized embeddings of every expert's task's training split (label = the
 * expert's index), then layer 1's router on those examples' outputs of the finished MoE layer 0 under
 * its trained router, i.e. on exactly what layer 1 sees at inference.
 */
final class MoeBuild {
    private MoeBuild() {
    }

    /** Each adapter's update per target layer, {@code [layer][expert]}. */
    static List<List<LowRankUpdate>> updates(List<LoraAdapter> adapters) {
        List<List<LowRankUpdate>> updates = new ArrayList<>();
        for (String target : LoraLayout.TARGETS) {
            updates.add(adapters.stream().map(a -> LowRankUpdate.of(a, target)).toList());
        }
        return updates;
    }

    /** The experts' updates per target layer, {@code [layer][expert]}. */
    static MoeTrunk arrow(Map<String, Tensor> base, List<List<LowRankUpdate>> updates, int topK, long seed) {
        List<MoeLayer> layers = new ArrayList<>();
        for (int l = 0; l < LoraLayout.TARGETS.size(); l++) {
            ArrowRouter router = ArrowRouter.of(updates.get(l), seed + 1000L * l);
            layers.add(layer(base, l, updates.get(l), router, topK));
        }
        return new MoeTrunk(base.get(ExpertLayout.INPUT_MEAN).data(), base.get(ExpertLayout.INPUT_STD).data(), layers);
    }

    /** {@code train.get(i)} is the training split of expert {@code i}'s task. */
    static MoeTrunk trained(Map<String, Tensor> base, List<List<LowRankUpdate>> updates, List<Split> train, MoeOptions options) {
        float[] mean = base.get(ExpertLayout.INPUT_MEAN).data();
        float[] std = base.get(ExpertLayout.INPUT_STD).data();
        List<float[]> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int e = 0; e < train.size(); e++) {
            for (int r = 0; r < train.get(e).size(); r++) {
                inputs.add(MoeTrunk.standardize(train.get(e).row(r), mean, std));
                labels.add(e);
            }
        }
        int[] tasks = labels.stream().mapToInt(Integer::intValue).toArray();
        float[][] x = inputs.toArray(new float[0][]);
        List<MoeLayer> layers = new ArrayList<>();
        for (int l = 0; l < LoraLayout.TARGETS.size(); l++) {
            LinearRouter router = RouterTraining.train(x, tasks, updates.get(l).size(), options.routerEpochs(),
                    options.routerLearningRate(), options.seed() + 1000L * l);
            MoeLayer layer = layer(base, l, updates.get(l), router, options.topK());
            layers.add(layer);
            float[][] next = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                next[i] = layer.forward(x[i]).y();
            }
            x = next;
        }
        return new MoeTrunk(mean, std, layers);
    }

    private static MoeLayer layer(Map<String, Tensor> base, int l, List<LowRankUpdate> experts, LayerRouter router, int topK) {
        String target = LoraLayout.TARGETS.get(l);
        Tensor weight = base.get(LoraLayout.baseWeight(target));
        Tensor bias = base.get(target + ".bias");
        return new MoeLayer((int) weight.shape()[1], (int) weight.shape()[0], weight.data(), bias.data(), experts, router, topK);
    }
}
