package io.upcycle.trainer.network;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.trainer.checkpoint.CheckpointContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The expert network on DJL's PyTorch engine: {@code Linear(384→256) · ReLU · Linear(256→256) ·
 * ReLU · Linear(256→classes)}, built from and exported to {@link NetworkWeights}.
 *
 * <p>DJL's {@code Linear} stores its weight {@code [out, in]} like PyTorch and the layout, so
 * export and import are plain copies and a checkpoint round-trips bit for bit. The standardization
 * is not a layer: inputs are standardized once on the Java side
 * ({@link InputStandardization#apply}), which computes the same float32 values for less work,
 * and the tensors travel with the weights.
 *
 * <p>With {@link LoraSettings} the target trunk layers are {@link LoraLinear} blocks and every
 * trunk weight is frozen; only the adapters and the head train. {@link #export} then gives the
 * merged weights ({@code W + (alpha/r) B A}) and {@link #checkpoint} the adapter alone.
 */
public final class ExpertNetwork implements AutoCloseable {
    private static final String[][] LINEAR_NAMES = {
        {ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS},
        {ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS},
        {ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS},
    };

    /** Module names of the three layers, as LoRA targets them. */
    private static final String[] MODULES = {LoraLayout.TRUNK0, LoraLayout.TRUNK1, LoraLayout.HEAD};

    private final Model model;
    private final List<Block> layers;
    private final InputStandardization standardization;
    private final int classes;
    private final LoraSettings lora;

    private ExpertNetwork(Model model, List<Block> layers, InputStandardization standardization, int classes, LoraSettings lora) {
        this.model = model;
        this.layers = layers;
        this.standardization = standardization;
        this.classes = classes;
        this.lora = lora;
    }

    /** Builds the network on the PyTorch engine (CPU) with exactly these weights, all trainable; they need a head. */
    public static ExpertNetwork load(NetworkWeights weights) {
        return load(weights, null, 0);
    }

    /**
     * Builds the network with these weights; with {@code lora} (null: full fine-tuning) the trunk
     * is frozen and its target layers get adapters whose {@code A} is drawn from {@code seed}.
     */
    public static ExpertNetwork load(NetworkWeights weights, LoraSettings lora, long seed) {
        return load(weights, lora, seed, true);
    }

    /**
     * As {@link #load(NetworkWeights, LoraSettings, long)}; with {@code trainHead} false the head is
     * frozen too (a fixed classifier, e.g. a linear probe: only the trunk or its adapters learn).
     */
    public static ExpertNetwork load(NetworkWeights weights, LoraSettings lora, long seed, boolean trainHead) {
        if (weights.classes() == 0) {
            throw new IllegalArgumentException("a network needs a head; give the weights one with withNewHead");
        }
        PyTorchRuntime.engine();
        Model model = Model.newInstance("expert", Device.cpu(), PyTorchRuntime.ENGINE);
        List<Block> layers = new ArrayList<>();
        SequentialBlock block = new SequentialBlock();
        SplittableRandom adapters = new SplittableRandom(seed);
        for (int i = 0; i < LINEAR_NAMES.length; i++) {
            Tensor weight = weights.get(LINEAR_NAMES[i][0]);
            Tensor bias = weights.get(LINEAR_NAMES[i][1]);
            Block layer;
            if (lora != null && lora.targets().contains(MODULES[i])) {
                layer = new LoraLinear(weight, bias, lora.rank(), lora.alpha(), adapters.split());
            } else {
                layer = Linear.builder().setUnits(weight.shape()[0]).build();
                layer.getParameters().get("weight").setInitializer(FixedInitializer.of(weight));
                layer.getParameters().get("bias").setInitializer(FixedInitializer.of(bias));
                boolean head = MODULES[i].equals(LoraLayout.HEAD);
                if (head ? !trainHead : lora != null) {
                    layer.freezeParameters(true);
                }
            }
            layers.add(layer);
            block.add(layer);
            if (i < LINEAR_NAMES.length - 1) {
                block.add(Activation::relu);
            }
        }
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, ExpertLayout.INPUT_DIM));
        return new ExpertNetwork(model, List.copyOf(layers), weights.standardization(), weights.classes(), lora);
    }

    /** The weights as they are now, copied out of the engine; with LoRA, the adapters merged into the base. */
    public NetworkWeights export() {
        NetworkWeights own = ownWeights();
        return lora == null ? own : NetworkWeights.of(adapter("").mergeInto(own.tensors()));
    }

    /**
     * The weight and bias parameters of every layer as they are in the engine: with LoRA, the
     * frozen base trunk (without the adapters) and the trained head.
     */
    public NetworkWeights ownWeights() {
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(Tensor.of(ExpertLayout.INPUT_MEAN, standardization.mean().clone(), ExpertLayout.INPUT_DIM));
        tensors.add(Tensor.of(ExpertLayout.INPUT_STD, standardization.std().clone(), ExpertLayout.INPUT_DIM));
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < 2; j++) {
                Parameter parameter = layers.get(i).getParameters().get(j == 0 ? "weight" : "bias");
                NDArray array = parameter.getArray();
                tensors.add(new Tensor(LINEAR_NAMES[i][j], array.getShape().getShape(), array.toFloatArray()));
            }
        }
        return NetworkWeights.of(tensors);
    }

    /** The LoRA adapter and head as they are now; only for a network loaded with {@link LoraSettings}. */
    public LoraAdapter adapter(String baseSha256) {
        if (lora == null) {
            throw new IllegalStateException("this network is fully fine-tuned; it has no LoRA adapter");
        }
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof LoraLinear adapted) {
                a.put(MODULES[i], adapted.loraA(LoraLayout.loraA(MODULES[i])));
                b.put(MODULES[i], adapted.loraB(LoraLayout.loraB(MODULES[i])));
            }
        }
        NetworkWeights own = ownWeights();
        return new LoraAdapter(lora.rank(), lora.alpha(), lora.targets(), baseSha256, a, b,
                own.get(ExpertLayout.HEAD_WEIGHT), own.get(ExpertLayout.HEAD_BIAS));
    }

    /** What a checkpoint of this network holds now: the full weights, or with LoRA the adapter alone. */
    public CheckpointContent checkpoint(String baseSha256) {
        if (lora == null) {
            return CheckpointContent.full(ownWeights());
        }
        LoraAdapter adapter = adapter(baseSha256);
        return new CheckpointContent(CheckpointKind.LORA_ADAPTER, adapter.tensors(), adapter.metadata());
    }

    /** The LoRA settings this network was loaded with; null when fully fine-tuned. */
    public LoraSettings lora() {
        return lora;
    }

    /** Logits of already standardized inputs ({@code batch x 384}); arrays land in the input's manager. */
    public NDArray logits(ParameterStore parameters, NDArray standardized, boolean training) {
        return model.getBlock().forward(parameters, new NDList(standardized), training).singletonOrThrow();
    }

    /** Logits for inference: parameters used in place, no gradient recording. */
    public NDArray logits(NDArray standardized) {
        return logits(new ParameterStore(standardized.getManager(), false), standardized, false);
    }

    /** The DJL model (block and its manager), for building a trainer. */
    public Model model() {
        return model;
    }

    /** The standardization inputs must go through before {@link #logits}. */
    public InputStandardization standardization() {
        return standardization;
    }

    /** Output count of the head. */
    public int classes() {
        return classes;
    }

    @Override
    public void close() {
        model.close();
    }
}
