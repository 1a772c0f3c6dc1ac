package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.TfEngineTest;
import io.upcycle.model.checkpoint.RandomTensors;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GeneralizedTaskArithmeticTest extends TfEngineTest {

    @Test
    void shouldAddTheScaledSumOfTaskVectorsWhenMergingByTaskArithmetic() {
        // given tau1 = [1, 0, 2, 0], tau2 = [0, -2, 0, 4], so sum = [1, -2, 2, 4]
        NDArray base = manager.create(new float[] {1f, 2f, 3f, 4f});
        NDArray first = manager.create(new float[] {2f, 2f, 5f, 4f});
        NDArray second = manager.create(new float[] {1f, 0f, 3f, 8f});

        // when
        NDArray merged = GeneralizedTaskArithmetic.taskArithmetic().merge("w", base, List.of(first, second), MergeParameters.ofLambda(0.5));

        // then base + 0.5 * [1, -2, 2, 4], and the inputs are untouched
        assertThat(merged.toFloatArray()).containsExactly(new float[] {1.5f, 1f, 4f, 6f}, Offset.offset(1e-6f));
        assertThat(first.toFloatArray()).containsExactly(2f, 2f, 5f, 4f);
        assertThat(base.toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void shouldTrimElectAndAverageDisjointlyWhenMergingByTies() {
        // given base 0 so theta = tau; density 0.5 keeps the 2 largest magnitudes of each
        //   tau1 = [ 4, -1,  3, 0.5]  -> trimmed [ 4,  0,  3, 0]
        //   tau2 = [-2, -6, -1, 5  ]  -> trimmed [ 0, -6,  0, 5]
        //   tau3 = [ 1, -3, -5, 0  ]  -> trimmed [ 0, -3, -5, 0]
        //   sum of trimmed: [4, -9, -2, 5] -> elected [+, -, -, +]
        //   disjoint mean:  [4, (-6-3)/2, -5, 5]
        NDArray base = manager.create(new float[4]);
        List<NDArray> experts = List.of(manager.create(new float[] {4f, -1f, 3f, 0.5f}),
                manager.create(new float[] {-2f, -6f, -1f, 5f}), manager.create(new float[] {1f, -3f, -5f, 0f}));

        // when
        NDArray delta = GeneralizedTaskArithmetic.ties().taskVector("w", base, experts, new MergeParameters(1.0, 0L, Map.of("density", "0.5")));

        // then
        assertThat(delta.toFloatArray()).containsExactly(new float[] {4f, -4.5f, -5f, 5f}, Offset.offset(1e-6f));
    }

    @Test
    void shouldEqualTheScaledTrimmedTaskVectorWhenTiesMergesOneExpert() {
        // given
        float[] baseValues = RandomTensors.gaussian(50, 1);
        float[] expertValues = RandomTensors.gaussian(50, 2);
        NDArray base = manager.create(baseValues, new Shape(5, 10));
        NDArray expert = manager.create(expertValues, new Shape(5, 10));
        float[] tau = ReferenceMerge.minus(expertValues, baseValues);

        // when density 1 and the default 0.2
        float[] whole = GeneralizedTaskArithmetic.ties().merge("w", base, List.of(expert),
                new MergeParameters(0.7, 0L, Map.of("density", "1.0"))).toFloatArray();
        float[] trimmed = GeneralizedTaskArithmetic.ties().taskVector("w", base, List.of(expert), MergeParameters.ofLambda(0.7)).toFloatArray();

        // then base + 0.7 * tau, and the top 10 of 50 entries of tau
        for (int i = 0; i < tau.length; i++) {
            assertThat(whole[i]).isCloseTo(baseValues[i] + 0.7f * tau[i], Offset.offset(1e-5f));
        }
        assertThat(trimmed).containsExactly(ReferenceMerge.trim(tau, 0.2), Offset.offset(1e-6f));
        assertThat(countNonZero(trimmed)).isEqualTo(10);
    }

    @Test
    void shouldMatchThePlainJavaReferenceOfTiesOnRandomExperts() {
        // given
        float[] baseValues = RandomTensors.gaussian(300, 3);
        List<float[]> thetas = List.of(RandomTensors.gaussian(300, 4), RandomTensors.gaussian(300, 5), RandomTensors.gaussian(300, 6));
        NDArray base = manager.create(baseValues);
        List<NDArray> experts = thetas.stream().map(manager::create).toList();

        // when
        float[] delta = GeneralizedTaskArithmetic.ties().taskVector("w", base, experts, MergeParameters.ofLambda(1.0)).toFloatArray();

        // then
        List<float[]> trimmed = thetas.stream().map(t -> ReferenceMerge.trim(ReferenceMerge.minus(t, baseValues), 0.2)).toList();
        assertThat(delta).containsExactly(ReferenceMerge.signedDisjointMean(trimmed), Offset.offset(1e-5f));
    }

    @Test
    void shouldGiveTheSameResultWhetherCombinedInChunksOrWhole() {
        // given 103 values (not a multiple of the chunk), three experts
        float[] baseValues = RandomTensors.gaussian(103, 7);
        NDArray base = manager.create(baseValues);
        List<NDArray> experts = List.of(manager.create(RandomTensors.gaussian(103, 8)), manager.create(RandomTensors.gaussian(103, 9)),
                manager.create(RandomTensors.gaussian(103, 10)));
        MergeParameters parameters = new MergeParameters(0.4, 17L, Map.of("density", "0.3"));

        for (GeneralizedTaskArithmetic method : List.of(GeneralizedTaskArithmetic.ties(), GeneralizedTaskArithmetic.dareTies(),
                GeneralizedTaskArithmetic.dareLinear(), GeneralizedTaskArithmetic.taskArithmetic())) {
            // when
            float[] whole = method.merge("w", base, experts, parameters).toFloatArray();
            float[] chunked = method.withChunk(10).merge("w", base, experts, parameters).toFloatArray();

            // then
            assertThat(chunked).as(method.name()).containsExactly(whole);
        }
    }

    @Test
    void shouldReproduceDareMasksFromTheSeedAndChangeThemWithAnotherSeed() {
        // given
        NDArray base = manager.create(RandomTensors.gaussian(200, 11));
        List<NDArray> experts = List.of(manager.create(RandomTensors.gaussian(200, 12)), manager.create(RandomTensors.gaussian(200, 13)));
        MergeMethod dare = MergeMethods.defaults().get("dare_ties");

        // when
        float[] first = dare.taskVector("w", base, experts, new MergeParameters(1.0, 5L, Map.of())).toFloatArray();
        float[] again = dare.taskVector("w", base, experts, new MergeParameters(1.0, 5L, Map.of())).toFloatArray();
        float[] other = dare.taskVector("w", base, experts, new MergeParameters(1.0, 6L, Map.of())).toFloatArray();

        // then
        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(countNonZero(first)).isBetween(20, 70);
    }

    @Test
    void shouldIgnoreLambdaAndAverageTheExpertsWhenAveraging() {
        // given
        NDArray base = manager.create(new float[] {100f, 100f});
        List<NDArray> experts = List.of(manager.create(new float[] {1f, 2f}), manager.create(new float[] {3f, 6f}));

        // when
        float[] merged = new Average().merge("w", base, experts, MergeParameters.ofLambda(0.3)).toFloatArray();

        // then
        assertThat(merged).containsExactly(new float[] {2f, 4f}, Offset.offset(1e-5f));
    }

    @Test
    void shouldRefuseAnExpertOfAnotherShapeNamingTheTensorAndBothShapes() {
        // given
        NDArray base = manager.create(new float[6], new Shape(2, 3));
        NDArray expert = manager.create(new float[6], new Shape(3, 2));

        // when / then
        for (String name : MergeMethods.defaults().names()) {
            assertThatThrownBy(() -> MergeMethods.defaults().get(name).merge("trunk.0.weight", base, List.of(expert), MergeParameters.ofLambda(1.0)))
                    .as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("trunk.0.weight").hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
        }
    }

    private static int countNonZero(float[] values) {
        int count = 0;
        for (float value : values) {
            count += value != 0f ? 1 : 0;
        }
        return count;
    }
}
