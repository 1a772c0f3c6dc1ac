package io.upcycle.merger.engine;

import io.upcycle.merger.method.Average;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact task arithmetic of LoRA adapters without a dense matrix: since
 * {@code λ Σ_i (α_i/r_i) B_i A_i = B_cat A_cat} with {@code B_cat = [B_1 | B_2 | ...]}
 * ({@code out × Σr}) and {@code A_cat = [c_1 A_1 ; c_2 A_2 ; ...]} ({@code Σr × in}),
 * {@code c_i = λ α_i / r_i}, the merge of N adapters is again one adapter, of rank {@code Σr_i}
 * and {@code lora_alpha = Σr_i} (its own {@code α/r} is 1: the scaling lives in {@code A_cat}).
 *
 * <p>Only methods linear in the adapters allow this: {@code task_arithmetic} and {@code average}
 * (task arithmetic with {@code λ = 1/N}). TIES and DARE act on the entries of each dense
 * {@code ΔW} (magnitude trimming, random drops, sign election), which have no counterpart on
 * {@code A} and {@code B}, so they are refused. Pure: adapters in, adapter out. The head slot of
 * the result holds the first adapter's head; callers keep every task's head themselves.
 */
public final class AdapterSpaceMerge {
    /** The methods that are linear in the adapters, hence exact in adapter space. */
    public static final Set<String> LINEAR = Set.of("task_arithmetic", Average.NAME);

    private AdapterSpaceMerge() {
    }

    /** Refuses a method that is not linear in the adapters, saying why. */
    public static void requireLinear(String method) {
        if (LINEAR.contains(method)) {
            return;
        }
        String why = method.equals("ties") || method.startsWith("dare")
                ? "its trimming, random drops and sign election act on the entries of each dense ΔW = (α/r)·B·A, "
                        + "which have no counterpart on the factors A and B"
                : "only a method linear in the adapters merges them exactly as factors";
        throw new IllegalArgumentException("method '" + method + "' cannot merge LoRA adapters in adapter space: " + why
                + "; adapter space allows " + LINEAR.stream().sorted().toList() + "; merge without --adapter-space (on the dense ΔW) instead");
    }

    /** The scaling actually applied: {@code lambda} for task arithmetic, {@code 1/N} for average (which reads no lambda). */
    public static double effectiveLambda(String method, double lambda, int adapters) {
        requireLinear(method);
        return method.equals(Average.NAME) ? 1.0 / adapters : lambda;
    }

    /**
     * The adapter {@code B_cat A_cat} equal to {@code λ Σ_i (α_i/r_i) B_i A_i} on every target, λ as
     * {@link #effectiveLambda}. The adapters must share base and targets (else refused, naming both).
     */
    public static LoraAdapter merge(String method, double lambda, List<LoraAdapter> adapters) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no LoRA adapters to merge in adapter space");
        }
        double scale = effectiveLambda(method, lambda, adapters.size());
        LoraAdapter first = adapters.get(0);
        int rank = 0;
        for (int i = 0; i < adapters.size(); i++) {
            LoraAdapter adapter = adapters.get(i);
            if (!adapter.baseSha256().equalsIgnoreCase(first.baseSha256())) {
                throw new IllegalArgumentException("LoRA adapter " + i + " belongs to the base with sha256 '" + adapter.baseSha256()
                        + "' but adapter 0 to '" + first.baseSha256() + "'; adapters of different bases cannot be merged");
            }
            if (!adapter.targets().equals(first.targets())) {
                throw new IllegalArgumentException("LoRA adapter " + i + " targets " + adapter.targets() + " but adapter 0 targets "
                        + first.targets() + "; adapter space needs the same target layers in every adapter");
            }
            rank += adapter.rank();
        }
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (String target : first.targets()) {
            a.put(target, stackA(target, rank, scale, adapters));
            b.put(target, concatB(target, rank, adapters));
        }
        return new LoraAdapter(rank, rank, first.targets(), first.baseSha256(), a, b, first.headWeight(), first.headBias());
    }

    /** {@code [c_1 A_1 ; c_2 A_2 ; ...]}: the rows of every {@code A_i} scaled by {@code λ α_i / r_i}, stacked. */
    private static Tensor stackA(String target, int rank, double lambda, List<LoraAdapter> adapters) {
        int in = (int) adapters.get(0).a().get(target).shape()[1];
        float[] data = new float[rank * in];
        int row = 0;
        for (LoraAdapter adapter : adapters) {
            float[] values = adapter.a().get(target).data();
            double c = lambda * adapter.alpha() / adapter.rank();
            for (int k = 0; k < values.length; k++) {
                data[row * in + k] = (float) (c * values[k]);
            }
            row += adapter.rank();
        }
        return Tensor.of(target + ".lora_A", data, rank, in);
    }

    /** {@code [B_1 | B_2 | ...]}: the columns of every {@code B_i} side by side. */
    private static Tensor concatB(String target, int rank, List<LoraAdapter> adapters) {
        int out = (int) adapters.get(0).b().get(target).shape()[0];
        float[] data = new float[out * rank];
        int column = 0;
        for (LoraAdapter adapter : adapters) {
            float[] values = adapter.b().get(target).data();
            int r = adapter.rank();
            for (int o = 0; o < out; o++) {
                System.arraycopy(values, o * r, data, o * rank + column, r);
            }
            column += r;
        }
        return Tensor.of(target + ".lora_B", data, out, rank);
    }
}
