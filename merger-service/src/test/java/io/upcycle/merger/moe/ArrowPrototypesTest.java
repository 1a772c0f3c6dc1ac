package io.upcycle.merger.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrowPrototypesTest {

    @Test
    void shouldFindTheTopRightSingularVectorOfAKnownRankTwoUpdate() {
        // given ΔW = 3 u1 v1^T + 1 u2 v2^T (orthonormal u, v), factored through a non-orthogonal mix R:
        // A = R [v1; v2], B = [3 u1, u2] R^-1, so that A's rows are not themselves singular vectors
        double s = Math.sqrt(0.5);
        double[] v1 = {s, s, 0, 0};
        double[] v2 = {0, 0, 0.6, 0.8};
        double[] u1 = {0, 1, 0};
        double[] u2 = {s, 0, -s};
        double[][] r = {{1, 2}, {0.5, -1}};
        double det = r[0][0] * r[1][1] - r[0][1] * r[1][0];
        double[][] rInv = {{r[1][1] / det, -r[0][1] / det}, {-r[1][0] / det, r[0][0] / det}};
        float[] a = new float[2 * 4];
        for (int i = 0; i < 4; i++) {
            a[i] = (float) (r[0][0] * v1[i] + r[0][1] * v2[i]);
            a[4 + i] = (float) (r[1][0] * v1[i] + r[1][1] * v2[i]);
        }
        float[] b = new float[3 * 2];
        for (int o = 0; o < 3; o++) {
            double c0 = 3 * u1[o];
            double c1 = u2[o];
            b[o * 2] = (float) (c0 * rInv[0][0] + c1 * rInv[1][0]);
            b[o * 2 + 1] = (float) (c0 * rInv[0][1] + c1 * rInv[1][1]);
        }
        LowRankUpdate update = new LowRankUpdate(4, 3, 2, 2f, a, b);

        // when
        float[] prototype = ArrowPrototypes.prototype(update, 5L);

        // then it is v1 (sign fixed so that the largest component is positive), unit norm
        assertThat(prototype).containsExactly(new float[] {(float) s, (float) s, 0f, 0f}, org.assertj.core.data.Offset.offset(1e-5f));
        // and the dense update is what the factors say: ΔW v2 = 2 · 1 · u2 (scale alpha/r = 2)
        float[] dense = update.dense();
        for (int o = 0; o < 3; o++) {
            double dot = 0;
            for (int i = 0; i < 4; i++) {
                dot += dense[o * 4 + i] * v2[i];
            }
            assertThat(dot).isCloseTo(2 * u2[o], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void shouldGiveTheSamePrototypeFromAnyStartVector() {
        // given
        LowRankUpdate update = new LowRankUpdate(3, 2, 1, 1f, new float[] {0f, -3f, 4f}, new float[] {1f, 2f});

        // when / then the rank-1 update's only right singular vector, with its largest component positive
        assertThat(ArrowPrototypes.prototype(update, 1L)).containsExactly(new float[] {0f, -0.6f, 0.8f}, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(ArrowPrototypes.prototype(update, 99L)).containsExactly(ArrowPrototypes.prototype(update, 1L));
    }

    @Test
    void shouldRefuseAZeroUpdateBecauseItHasNoDirection() {
        // given an untrained adapter: B = 0
        LowRankUpdate update = new LowRankUpdate(3, 2, 1, 1f, new float[] {1f, 2f, 3f}, new float[] {0f, 0f});

        // when / then
        assertThatThrownBy(() -> ArrowPrototypes.prototype(update, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is zero");
    }
}
