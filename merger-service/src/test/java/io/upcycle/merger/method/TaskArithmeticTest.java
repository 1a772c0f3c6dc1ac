package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.TfManager;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskArithmeticTest {
    private static NDManager manager;
    private final MergeMethod method = new TaskArithmetic();

    @BeforeAll
    static void openEngine() {
        manager = TfManager.open();
    }

    @AfterAll
    static void closeEngine() {
        manager.close();
    }

    @Test
    void shouldEqualTheExpertWhenLambdaIsOneWithOneExpert() {
        // given
        NDArray base = manager.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
        NDArray expert = manager.create(new float[] {0.5f, -2f, 3f, 10f}, new Shape(2, 2));

        // when
        NDArray merged = method.merge("w", base, List.of(expert), MergeParameters.ofLambda(1.0));

        // then
        assertThat(merged.getShape()).isEqualTo(new Shape(2, 2));
        assertThat(merged.toFloatArray()).containsExactly(0.5f, -2f, 3f, 10f);
    }

    @Test
    void shouldEqualTheBaseWhenLambdaIsZero() {
        // given
        NDArray base = manager.create(new float[] {1f, 2f, 3f});
        NDArray expert = manager.create(new float[] {7f, -8f, 9f});

        // when
        NDArray merged = method.merge("b", base, List.of(expert, expert), MergeParameters.ofLambda(0.0));

        // then
        assertThat(merged.toFloatArray()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void shouldAddTheScaledSumOfTaskVectorsWhenMergingTwoExperts() {
        // given tau1 = [1, 0, 2, 0], tau2 = [0, -2, 0, 4], so sum = [1, -2, 2, 4]
        NDArray base = manager.create(new float[] {1f, 2f, 3f, 4f});
        NDArray first = manager.create(new float[] {2f, 2f, 5f, 4f});
        NDArray second = manager.create(new float[] {1f, 0f, 3f, 8f});

        // when
        NDArray delta = method.taskVector("w", base, List.of(first, second), MergeParameters.ofLambda(0.5));
        NDArray merged = method.merge("w", base, List.of(first, second), MergeParameters.ofLambda(0.5));

        // then base + 0.5 * [1, -2, 2, 4] = [1.5, 1, 4, 6], and the inputs are untouched
        assertThat(delta.toFloatArray()).containsExactly(1f, -2f, 2f, 4f);
        assertThat(merged.toFloatArray()).containsExactly(new float[] {1.5f, 1f, 4f, 6f}, Offset.offset(1e-6f));
        assertThat(first.toFloatArray()).containsExactly(2f, 2f, 5f, 4f);
        assertThat(base.toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void shouldRefuseAnExpertOfAnotherShapeNamingTheTensorAndBothShapes() {
        // given
        NDArray base = manager.create(new float[6], new Shape(2, 3));
        NDArray expert = manager.create(new float[6], new Shape(3, 2));

        // when / then
        assertThatThrownBy(() -> method.merge("trunk.0.weight", base, List.of(expert), MergeParameters.ofLambda(1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trunk.0.weight").hasMessageContaining("[3, 2]").hasMessageContaining("[2, 3]");
    }
}
