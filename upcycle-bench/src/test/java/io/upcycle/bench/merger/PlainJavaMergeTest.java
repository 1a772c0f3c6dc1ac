package io.upcycle.bench.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.method.MergeParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJavaMergeTest {

    @Test
    void shouldAddTheScaledSumOfTaskVectorsForTaskArithmetic() {
        // given base 1,1 and task vectors (+1,-2) and (+3,+1)
        float[] base = {1f, 1f};

        // when
        float[] merged = PlainJavaMerge.merge("task_arithmetic", "w", base, experts(new float[]{2f, -1f}, new float[]{4f, 2f}),
                MergeParameters.ofLambda(0.5));

        // then base + 0.5 * (4, -1)
        assertThat(merged).containsExactly(3f, 0.5f);
    }

    @Test
    void shouldTakeTheDisjointMeanOfTheElectedSignForTies() {
        // given task vectors per entry: (+2, -1, -4) -> sum -3, sign -: mean of -1 and -4; (+1, +3, -1) -> sum +3: mean of 1, 3;
        // and (0, 0, 0) -> sum 0 elects +, nobody agrees: 0
        float[] base = {0f, 0f, 0f};
        List<float[]> experts = experts(new float[]{2f, 1f, 0f}, new float[]{-1f, 3f, 0f}, new float[]{-4f, -1f, 0f});

        // when density 1 keeps everything
        float[] merged = PlainJavaMerge.merge("ties", "w", base, experts,
                new MergeParameters(1.0, 0, Map.of(MergeParameters.DENSITY, "1.0")));

        // then
        assertThat(merged).containsExactly(-2.5f, 2f, 0f);
    }

    @Test
    void shouldTrimSmallMagnitudesBeforeElectingForTies() {
        // given one expert (1, -3, 0.5, 2): density 0.5 keeps -3 and 2
        List<float[]> experts = experts(new float[]{1f, -3f, 0.5f, 2f});

        // when
        float[] merged = PlainJavaMerge.merge("ties", "w", new float[4], experts,
                new MergeParameters(1.0, 0, Map.of(MergeParameters.DENSITY, "0.5")));

        // then TIES of one expert is that expert, trimmed
        assertThat(merged).containsExactly(0f, -3f, 0f, 2f);
    }

    @Test
    void shouldRefuseAMethodItDoesNotImplement() {
        assertThatThrownBy(() -> PlainJavaMerge.merge("average", "w", new float[1], experts(new float[1]), MergeParameters.ofLambda(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("average").hasMessageContaining("ties");
    }

    private static List<float[]> experts(float[]... values) {
        return new ArrayList<>(List.of(values));
    }
}
