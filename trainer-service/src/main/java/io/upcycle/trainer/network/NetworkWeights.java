package io.upcycle.trainer.network;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The expert network's weights as plain Java tensors named by {@link ExpertLayout}: what goes
 * into and comes out of a checkpoint, independent of any engine.
 *
 * <p>Always holds the input standardization and the trunk; the head is optional (a base has
 * none). Shapes are checked against the layout on construction. Seeded initialization follows
 * PyTorch's default for {@code nn.Linear} (weight and bias uniform in ±1/sqrt(fan_in)) but draws
 * from a Java RNG, so that the same seed gives the same weights on every engine and platform.
 */
public final class NetworkWeights {
    private static final List<String> ORDER = List.of(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD,
            ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_WEIGHT,
            ExpertLayout.TRUNK1_BIAS, ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS);

    private final Map<String, Tensor> tensors;
    private final int classes;

    private NetworkWeights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
        Tensor headBias = tensors.get(ExpertLayout.HEAD_BIAS);
        this.classes = headBias == null ? 0 : headBias.data().length;
        for (String name : ORDER) {
            boolean head = ExpertLayout.HEAD.contains(name);
            Tensor tensor = tensors.get(name);
            if (tensor == null && (!head || classes > 0)) {
                throw new IllegalArgumentException("expert weights lack tensor '" + name + "'");
            }
            if (tensor != null && !Arrays.equals(tensor.shape(), ExpertLayout.shape(name, classes))) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                        + ", the layout wants " + Arrays.toString(ExpertLayout.shape(name, classes)));
            }
        }
    }

    /** Weights from named tensors; extra names are refused, the head may be absent. */
    public static NetworkWeights of(Collection<Tensor> tensors) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor tensor : tensors) {
            if (!ORDER.contains(tensor.name())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' is not part of the expert layout");
            }
            byName.put(tensor.name(), tensor);
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        ORDER.stream().filter(byName::containsKey).forEach(n -> ordered.put(n, byName.get(n)));
        return new NetworkWeights(ordered);
    }

    /** A freshly initialized network: identity standardization, seeded trunk and head. */
    public static NetworkWeights seeded(int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Tensor> list = new ArrayList<>();
        float[] ones = new float[ExpertLayout.INPUT_DIM];
        Arrays.fill(ones, 1f);
        list.add(Tensor.of(ExpertLayout.INPUT_MEAN, new float[ExpertLayout.INPUT_DIM], ExpertLayout.INPUT_DIM));
        list.add(Tensor.of(ExpertLayout.INPUT_STD, ones, ExpertLayout.INPUT_DIM));
        list.addAll(linear(ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.HIDDEN_DIM, ExpertLayout.INPUT_DIM, random));
        list.addAll(linear(ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS, ExpertLayout.HIDDEN_DIM, ExpertLayout.HIDDEN_DIM, random));
        list.addAll(linear(ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS, classes, ExpertLayout.HIDDEN_DIM, random));
        return of(list);
    }

    /** These weights with a new seeded head of {@code newClasses} outputs (an old head is dropped). */
    public NetworkWeights withNewHead(int newClasses, long seed) {
        List<Tensor> list = new ArrayList<>(withoutHead().tensors());
        list.addAll(linear(ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS, newClasses, ExpertLayout.HIDDEN_DIM,
                new SplittableRandom(seed)));
        return of(list);
    }

    /** These weights with the given head ({@code [classes, hidden]} weight and {@code [classes]} bias; an old head is dropped). */
    public NetworkWeights withHead(Tensor weight, Tensor bias) {
        long[] w = weight.shape();
        long[] b = bias.shape();
        if (w.length != 2 || w[1] != ExpertLayout.HIDDEN_DIM || b.length != 1 || b[0] != w[0]) {
            throw new IllegalArgumentException("a head needs a [classes, " + ExpertLayout.HIDDEN_DIM + "] weight and a [classes] bias, got "
                    + java.util.Arrays.toString(w) + " and " + java.util.Arrays.toString(b));
        }
        List<Tensor> list = new ArrayList<>(withoutHead().tensors());
        list.add(new Tensor(ExpertLayout.HEAD_WEIGHT, w, weight.data()));
        list.add(new Tensor(ExpertLayout.HEAD_BIAS, b, bias.data()));
        return of(list);
    }

    /** These weights with another input standardization. */
    public NetworkWeights withStandardization(InputStandardization input) {
        List<Tensor> list = new ArrayList<>(tensors.values());
        list.removeIf(t -> ExpertLayout.INPUT.contains(t.name()));
        list.add(Tensor.of(ExpertLayout.INPUT_MEAN, input.mean(), ExpertLayout.INPUT_DIM));
        list.add(Tensor.of(ExpertLayout.INPUT_STD, input.std(), ExpertLayout.INPUT_DIM));
        return of(list);
    }

    /** Input standardization and trunk only: what a base checkpoint holds. */
    public NetworkWeights withoutHead() {
        return of(tensors.values().stream().filter(t -> !ExpertLayout.HEAD.contains(t.name())).toList());
    }

    /** The tensors in layout order (input, trunk, head). */
    public List<Tensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /** One tensor by its layout name. */
    public Tensor get(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("these weights hold no tensor '" + name + "'");
        }
        return tensor;
    }

    /** The head's output count, 0 when there is no head. */
    public int classes() {
        return classes;
    }

    /** The standardization these weights expect their inputs to go through. */
    public InputStandardization standardization() {
        return new InputStandardization(get(ExpertLayout.INPUT_MEAN).data(), get(ExpertLayout.INPUT_STD).data());
    }

    private static List<Tensor> linear(String weightName, String biasName, int out, int in, SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(in);
        float[] weight = new float[out * in];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextDouble(-bound, bound);
        }
        float[] bias = new float[out];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-bound, bound);
        }
        return List.of(Tensor.of(weightName, weight, out, in), Tensor.of(biasName, bias, out));
    }
}
