package io.upcycle.merger.moe;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.merger.JavaNetwork;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MoeLayerTest {
    private static final int IN = 6;
    private static final int OUT = 5;
    private final Random random = new Random(3);

    @Test
    void shouldEqualTheDenseExpertWhenAllExpertsAreTheSameAdapter() {
        // given a base layer, one adapter, and its dense expert W + (alpha/r) B A built from the factors by hand
        float[] w = gaussian(OUT * IN);
        float[] bias = gaussian(OUT);
        LowRankUpdate adapter = new LowRankUpdate(IN, OUT, 2, 1.5f, gaussian(2 * IN), gaussian(OUT * 2));
        float[] dense = w.clone();
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                double sum = 0;
                for (int k = 0; k < 2; k++) {
                    sum += adapter.b()[o * 2 + k] * adapter.a()[k * IN + i];
                }
                dense[o * IN + i] += (float) (1.5 * sum);
            }
        }
        List<LowRankUpdate> three = Collections.nCopies(3, adapter);

        for (int k = 1; k <= 3; k++) {
            MoeLayer arrow = new MoeLayer(IN, OUT, w, bias, three, ArrowRouter.of(three, 1L), k);
            MoeLayer linear = new MoeLayer(IN, OUT, w, bias, three,
                    new LinearRouter(3, IN, gaussian(3 * IN), gaussian(3)), k);
            for (int n = 0; n < 20; n++) {
                float[] x = gaussian(IN);

                // when
                float[] viaArrow = arrow.forward(x).y();
                float[] viaLinear = linear.forward(x).y();

                // then any gate mix of identical experts is the dense expert
                float[] expected = JavaNetwork.layer(dense, bias, x, true);
                assertThat(viaArrow).as("k=" + k).containsExactly(expected, Offset.offset(1e-5f));
                assertThat(viaLinear).as("k=" + k).containsExactly(expected, Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void shouldRouteToTheExpertWhosePrototypeTheInputFollowsWhenKIsOne() {
        // given three experts reading orthogonal input directions e0, e2, e4
        float[] w = gaussian(OUT * IN);
        float[] bias = gaussian(OUT);
        List<LowRankUpdate> experts = List.of(reading(0), reading(2), reading(4));
        MoeLayer layer = new MoeLayer(IN, OUT, w, bias, experts, ArrowRouter.of(experts, 7L), 1);

        for (int e = 0; e < 3; e++) {
            // when the input is expert e's prototype, negated and with a little noise (Arrow is sign-free)
            float[] x = ((ArrowRouter) layer.router()).prototype(e);
            for (int i = 0; i < IN; i++) {
                x[i] = -4 * x[i] + 0.1f * (float) random.nextGaussian();
            }
            MoeLayer.Output output = layer.forward(x);

            // then it goes to expert e alone: the output is the base plus that expert's update
            assertThat(output.gates().experts()).containsExactly(e);
            float[] expected = JavaNetwork.layer(plus(w, experts.get(e).dense()), bias, x, true);
            assertThat(output.y()).containsExactly(expected, Offset.offset(1e-5f));
        }
    }

    private LowRankUpdate reading(int axis) {
        float[] a = new float[IN];
        a[axis] = 2f;
        return new LowRankUpdate(IN, OUT, 1, 1f, a, gaussian(OUT));
    }

    private static float[] plus(float[] x, float[] y) {
        float[] sum = x.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += y[i];
        }
        return sum;
    }

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
