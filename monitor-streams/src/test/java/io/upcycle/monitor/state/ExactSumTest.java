package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
    @Test
    void shouldDependOnlyOnTheValuesHeldNotOnWhatCameAndWent() {
        // given two sums of the same values, one of which also saw others come and go
        Random random = new Random(7);
        float[] kept = new float[1000];
        ExactSum direct = new ExactSum();
        ExactSum churned = new ExactSum();
        for (int i = 0; i < kept.length; i++) {
            kept[i] = random.nextFloat() * (float) Math.pow(10, random.nextInt(12) - 6);
            direct.add(kept[i]);
        }

        // when
        for (int i = kept.length - 1; i >= 0; i--) {
            float noise = random.nextFloat() * 1e5f;
            churned.add(noise);
            churned.add(kept[i]);
            churned.subtract(noise);
        }

        // then the sums are identical and equal the exact sum to double precision
        assertThat(churned.value()).isEqualTo(direct.value());
        BigDecimal exact = BigDecimal.ZERO;
        for (float v : kept) {
            exact = exact.add(new BigDecimal(v));
        }
        assertThat(direct.value()).isCloseTo(exact.doubleValue(), within(Math.ulp(exact.doubleValue()) * 4));
    }

    @Test
    void shouldSumSubnormalsZerosAndNegativeZero() {
        // given
        ExactSum sum = new ExactSum();

        // when
        sum.add(Float.MIN_VALUE);
        sum.add(Float.MIN_VALUE);
        sum.add(0f);
        sum.add(-0f);
        sum.add(Float.MIN_NORMAL);

        // then
        assertThat(sum.value()).isEqualTo(2.0 * Float.MIN_VALUE + Float.MIN_NORMAL);
        sum.subtract(Float.MIN_NORMAL);
        sum.subtract(Float.MIN_VALUE);
        assertThat(sum.value()).isEqualTo((double) Float.MIN_VALUE);
    }
}
