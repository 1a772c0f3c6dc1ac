package io.upcycle.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void shouldGiveMeanSampleDeviationAndRangeOfTheMeasurements() {
        // given 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
        double[] values = {3, 1, 4, 2};

        // when
        Spread spread = Spread.of(values);

        // then
        assertThat(spread.n()).isEqualTo(4);
        assertThat(spread.mean()).isEqualTo(2.5);
        assertThat(spread.sd()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(spread.min()).isEqualTo(1);
        assertThat(spread.max()).isEqualTo(4);
        assertThat(spread.standardError()).isCloseTo(Math.sqrt(5.0 / 3) / 2, within(1e-12));
    }

    @Test
    void shouldGiveZeroDeviationForOneMeasurementAndNaNForNone() {
        // when
        Spread one = Spread.of(7.5);
        Spread none = Spread.of();

        // then
        assertThat(one.mean()).isEqualTo(7.5);
        assertThat(one.sd()).isZero();
        assertThat(one.standardError()).isNaN();
        assertThat(none.n()).isZero();
        assertThat(none.mean()).isNaN();
    }
}
