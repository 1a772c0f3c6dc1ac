package io.upcycle.trainer.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.upcycle.model.checkpoint.Tensor;
import java.util.SplittableRandom;

/**
 * A linear layer with a LoRA adapter: {@code y = x W^T + b + (alpha / r) x A^T B^T}, with the
 * base {@code W [out, in]} and {@code b [out]} frozen (DJL's {@code freezeParameters}) and only
 * {@code A [r, in]} and {@code B [out, r]} trained.
 *
 * <p>{@code A} starts uniform in ±1/sqrt(in) (PEFT's default bound) from a Java RNG, so the same
 * seed gives the same adapter on every platform; {@code B} starts at zero, so a fresh adapter
 * leaves the base's output unchanged. The parameters are named {@code weight}, {@code bias},
 * {@code lora_A} and {@code lora_B}.
 */
final class LoraLinear extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int out;
    private final float scale;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter loraA;
    private final Parameter loraB;

    /** A block initialized to the base {@code weight} and {@code bias}, with a fresh adapter drawn from {@code random}. */
    LoraLinear(Tensor baseWeight, Tensor baseBias, int rank, float alpha, SplittableRandom random) {
        super(VERSION);
        this.out = (int) baseWeight.shape()[0];
        int in = (int) baseWeight.shape()[1];
        this.scale = alpha / rank;
        double bound = 1.0 / Math.sqrt(in);
        float[] a = new float[rank * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-bound, bound);
        }
        this.weight = addParameter(parameter("weight", Parameter.Type.WEIGHT, baseWeight));
        this.bias = addParameter(parameter("bias", Parameter.Type.BIAS, baseBias));
        this.loraA = addParameter(parameter("lora_A", Parameter.Type.WEIGHT, Tensor.of("lora_A", a, rank, in)));
        this.loraB = addParameter(parameter("lora_B", Parameter.Type.WEIGHT, Tensor.of("lora_B", new float[out * rank], out, rank)));
        freezeParameters(true, p -> p == weight || p == bias);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        NDArray a = store.getValue(loraA, x.getDevice(), training);
        NDArray up = store.getValue(loraB, x.getDevice(), training);
        NDArray base = Linear.linear(x, w, b).singletonOrThrow();
        NDArray update = Linear.linear(Linear.linear(x, a).singletonOrThrow(), up).singletonOrThrow();
        return new NDList(base.add(update.mul(scale)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    /** The frozen base weight {@code [out, in]} as it is in the engine. */
    Tensor baseWeight(String name) {
        return read(weight, name);
    }

    /** The frozen base bias {@code [out]} as it is in the engine. */
    Tensor baseBias(String name) {
        return read(bias, name);
    }

    /** {@code A [r, in]} as trained so far. */
    Tensor loraA(String name) {
        return read(loraA, name);
    }

    /** {@code B [out, r]} as trained so far. */
    Tensor loraB(String name) {
        return read(loraB, name);
    }

    private static Tensor read(Parameter parameter, String name) {
        NDArray array = parameter.getArray();
        return new Tensor(name, array.getShape().getShape(), array.toFloatArray());
    }

    private static Parameter parameter(String name, Parameter.Type type, Tensor values) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(values.shape()))
                .optInitializer(FixedInitializer.of(values)).build();
    }
}
