package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.network.LoraSettings;
import io.upcycle.trainer.network.NetworkWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraNetworkTest {
    private static final int N = 256;
    private static final int DIM = ExpertLayout.INPUT_DIM;
    private static final LoraSettings LORA = new LoraSettings(8, 16f, List.of(LoraLayout.TRUNK0, LoraLayout.TRUNK1));

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheBaseBitIdenticalWhileTheAdapterAndHeadLearn() {
        // given a LoRA network on a seeded base and a 2-class problem
        NetworkWeights start = NetworkWeights.seeded(2, 5);
        int[] y = new int[N];
        float[] x = separable(y);
        try (ExpertNetwork network = ExpertNetwork.load(start, LORA, 3);
                StepRunner runner = new StepRunner(network, 3e-3f)) {
            EpochSampler sampler = new EpochSampler(N, 64, 9);
            // when it trains for 60 steps
            float first = runner.step(x, y, sampler.next().exampleIds()).statistics().meanLoss();
            float last = first;
            for (int s = 0; s < 59; s++) {
                last = runner.step(x, y, sampler.next().exampleIds()).statistics().meanLoss();
            }
            // then every trunk tensor is bit for bit the base's, yet the loss fell and B and the head moved
            NetworkWeights own = network.ownWeights();
            for (String name : ExpertLayout.TRUNK) {
                assertThat(bits(own.get(name).data())).as(name).isEqualTo(bits(start.get(name).data()));
            }
            assertThat(last).isLessThan(first / 4);
            LoraAdapter adapter = network.adapter("sha");
            for (String target : LORA.targets()) {
                assertThat(maxAbs(adapter.b().get(target).data())).as(target).isPositive();
            }
            assertThat(own.get(ExpertLayout.HEAD_WEIGHT).data()).isNotEqualTo(start.get(ExpertLayout.HEAD_WEIGHT).data());
        }
    }

    @Test
    void shouldReproduceTheAdapterNetworksOutputWhenTheAdapterIsMergedIntoTheBase() {
        // given a LoRA network trained a little, so that B is not zero
        NetworkWeights start = NetworkWeights.seeded(3, 8);
        int[] y = new int[N];
        float[] x = separable(y);
        try (ExpertNetwork adapted = ExpertNetwork.load(start, LORA, 4);
                StepRunner runner = new StepRunner(adapted, 1e-2f)) {
            EpochSampler sampler = new EpochSampler(N, 64, 1);
            for (int s = 0; s < 20; s++) {
                runner.step(x, y, sampler.next().exampleIds());
            }
            // when its adapter is merged into the base (W + alpha/r B A) and loaded as a plain network
            LoraAdapter adapter = adapted.adapter("sha");
            NetworkWeights merged = NetworkWeights.of(adapter.mergeInto(start.withoutHead().tensors()));
            float[] inputs = gaussian(32 * DIM, 77);
            float[] viaAdapter;
            float[] viaMerged;
            try (ExpertNetwork plain = ExpertNetwork.load(merged);
                    NDManager manager = adapted.model().getNDManager().newSubManager()) {
                viaAdapter = adapted.logits(manager.create(inputs, new Shape(32, DIM))).toFloatArray();
                viaMerged = plain.logits(manager.create(inputs, new Shape(32, DIM))).toFloatArray();
            }
            // then both give the same logits on random inputs, and export() is that merged form
            float maxDiff = 0;
            for (int i = 0; i < viaAdapter.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(viaAdapter[i] - viaMerged[i]));
            }
            assertThat(maxDiff).isLessThan(1e-4f);
            assertThat(maxAbs(viaAdapter)).isGreaterThan(0.1f);
            assertThat(adapted.export().get(ExpertLayout.TRUNK0_WEIGHT)).isEqualTo(merged.get(ExpertLayout.TRUNK0_WEIGHT));
            assertThat(merged.get(ExpertLayout.TRUNK0_WEIGHT)).isNotEqualTo(start.get(ExpertLayout.TRUNK0_WEIGHT));
        }
    }

    @Test
    void shouldRoundTripTheAdapterAloneThroughASafetensorsFileInPeftNaming() {
        // given a fresh adapter on one target
        LoraSettings one = new LoraSettings(4, 8f, List.of(LoraLayout.TRUNK1));
        LoraAdapter adapter;
        try (ExpertNetwork network = ExpertNetwork.load(NetworkWeights.seeded(5, 2), one, 6)) {
            adapter = network.adapter("abc123");
        }
        // when it is written and read back
        Path file = dir.resolve("adapter.safetensors");
        Safetensors.write(file, adapter.tensors(), adapter.metadata());
        LoraAdapter back;
        try (SafetensorsFile read = Safetensors.open(file)) {
            // then the file holds the adapter and head alone, under PEFT's names, and r/alpha/targets/base
            assertThat(read.names()).containsExactlyInAnyOrder("base_model.model.trunk.1.lora_A.weight",
                    "base_model.model.trunk.1.lora_B.weight", "base_model.model.head.weight", "base_model.model.head.bias");
            assertThat(read.shape(LoraLayout.loraA(LoraLayout.TRUNK1))).containsExactly(4, ExpertLayout.HIDDEN_DIM);
            assertThat(read.shape(LoraLayout.loraB(LoraLayout.TRUNK1))).containsExactly(ExpertLayout.HIDDEN_DIM, 4);
            assertThat(read.metadata()).containsEntry("peft.r", "4").containsEntry("peft.lora_alpha", "8.0")
                    .containsEntry("peft.target_modules", "trunk.1").containsEntry("upcycle.base_sha256", "abc123");
            back = LoraAdapter.read(read);
        }
        assertThat(back.rank()).isEqualTo(4);
        assertThat(back.alpha()).isEqualTo(8f);
        assertThat(back.targets()).containsExactly(LoraLayout.TRUNK1);
        assertThat(back.tensors()).isEqualTo(adapter.tensors());
        assertThat(maxAbs(back.a().get(LoraLayout.TRUNK1).data())).isPositive().isLessThanOrEqualTo((float) (1 / Math.sqrt(256)));
        assertThat(maxAbs(back.b().get(LoraLayout.TRUNK1).data())).isZero();
    }

    private static float[] separable(int[] y) {
        float[] x = gaussian(N * DIM, 3);
        for (int i = 0; i < N; i++) {
            y[i] = i % 2;
            x[i * DIM] += y[i] == 0 ? -2f : 2f;
        }
        return x;
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static int[] bits(float[] data) {
        int[] bits = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            bits[i] = Float.floatToRawIntBits(data[i]);
        }
        return bits;
    }
}
