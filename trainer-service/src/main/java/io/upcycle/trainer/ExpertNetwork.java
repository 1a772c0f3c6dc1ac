package io.upcycle.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The expert network on DJL's PyTorch engine: {@code Linear(384→256) · ReLU · Linear(256→256) ·
 * ReLU · Linear(256→classes)}, built from and exported to {@link NetworkWeights}.
 *
 * <p>DJL's {@code Linear} stores its weight {@code [out, in]} like PyTorch and the layout, so
 * export and import are plain copies and a checkpoint round-trips bit for bit. The standardization
 * is not a layer: inputs are standardized once on the Java side
 * ({@link InputStandardization#apply}), which computes the same float32 values for less work,
 * and the tensors travel with the weights.
 */
public final class ExpertNetwork implements AutoCloseable {
    private static final String[][] LINEAR_NAMES = {
        {ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS},
        {ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS},
        {ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS},
    };

    private final Model model;
    private final List<Linear> layers;
    private final InputStandardization standardization;
    private final int classes;

    private ExpertNetwork(Model model, List<Linear> layers, InputStandardization standardization, int classes) {
        this.model = model;
        this.layers = layers;
        this.standardization = standardization;
        this.classes = classes;
    }

    /** Builds the network on the PyTorch engine (CPU) with exactly these weights; they need a head. */
    public static ExpertNetwork load(NetworkWeights weights) {
        if (weights.classes() == 0) {
            throw new IllegalArgumentException("a network needs a head; give the weights one with withNewHead");
        }
        PyTorchRuntime.engine();
        Model model = Model.newInstance("expert", Device.cpu(), PyTorchRuntime.ENGINE);
        List<Linear> layers = new ArrayList<>();
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < LINEAR_NAMES.length; i++) {
            Tensor weight = weights.get(LINEAR_NAMES[i][0]);
            Linear linear = Linear.builder().setUnits(weight.shape()[0]).build();
            linear.getParameters().get("weight").setInitializer(fixed(weight));
            linear.getParameters().get("bias").setInitializer(fixed(weights.get(LINEAR_NAMES[i][1])));
            layers.add(linear);
            block.add(linear);
            if (i < LINEAR_NAMES.length - 1) {
                block.add(Activation::relu);
            }
        }
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, ExpertLayout.INPUT_DIM));
        return new ExpertNetwork(model, List.copyOf(layers), weights.standardization(), weights.classes());
    }

    /** The weights as they are now, copied out of the engine. */
    public NetworkWeights export() {
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

    private static ai.djl.training.initializer.Initializer fixed(Tensor tensor) {
        return (NDManager manager, Shape shape, DataType type) -> {
            if (!Arrays.equals(shape.getShape(), tensor.shape())) {
                throw new IllegalStateException("tensor '" + tensor.name() + "' has shape " + Arrays.toString(tensor.shape())
                        + " but the layer wants " + shape);
            }
            // A copy that owns its memory: the created array may share the Java-side buffer.
            try (NDArray created = manager.create(tensor.data(), shape)) {
                return created.duplicate();
            }
        };
    }
}
