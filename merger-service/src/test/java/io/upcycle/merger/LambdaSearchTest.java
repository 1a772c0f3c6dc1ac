package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class LambdaSearchTest {

    /** A score peaked at {@code peak} on a log scale, as merged accuracy is against lambda. */
    private static DoubleUnaryOperator peakAt(double peak) {
        return lambda -> -Math.abs(Math.log(lambda / peak));
    }

    @Test
    void shouldWidenBelowTheStartUntilTheBestIsInteriorWhenTheOptimumIsSmall() {
        // given an optimum at 0.03, below the start grid's lowest lambda (0.125)
        // when
        LambdaSearch.Choice choice = LambdaSearch.search(peakAt(0.03), LambdaGrid.adaptive());
        // then the search went down past it, chose within a factor 2^(1/8) of it, and is not at an edge
        assertThat(choice.meanValidation().firstKey()).isLessThan(0.03);
        assertThat(choice.lambda()).isBetween(0.03 / Math.pow(2, 0.125), 0.03 * Math.pow(2, 0.125));
        assertThat(choice.edge()).isEqualTo(LambdaSearch.Edge.NONE);
    }

    @Test
    void shouldWidenAboveTheStartUntilTheBestIsInteriorWhenTheOptimumIsLarge() {
        // when the optimum is 6
        LambdaSearch.Choice choice = LambdaSearch.search(peakAt(6), LambdaGrid.adaptive());
        // then
        assertThat(choice.meanValidation().lastKey()).isGreaterThan(6);
        assertThat(choice.lambda()).isBetween(6 / Math.pow(2, 0.125), 6 * Math.pow(2, 0.125));
        assertThat(choice.edge()).isEqualTo(LambdaSearch.Edge.NONE);
    }

    @Test
    void shouldStopAtTheBoundAndSayTheChoiceIsAtTheEdgeWhenTheScoreKeepsRising() {
        // given a score that rises with lambda without end
        List<Double> asked = new ArrayList<>();
        // when
        LambdaSearch.Choice choice = LambdaSearch.search(lambda -> {
            asked.add(lambda);
            return lambda;
        }, LambdaGrid.adaptive());
        // then it stopped at the upper bound and flags it; nothing past the bound was tried
        assertThat(choice.lambda()).isEqualTo(LambdaGrid.ADAPTIVE_MAX);
        assertThat(choice.edge()).isEqualTo(LambdaSearch.Edge.HIGH);
        assertThat(asked).allMatch(l -> l <= LambdaGrid.ADAPTIVE_MAX).doesNotHaveDuplicates();
    }

    @Test
    void shouldTryExactlyAFixedGridAndFlagABestAtItsEdge() {
        // given a fixed grid whose best is its lowest lambda
        // when
        LambdaSearch.Choice choice = LambdaSearch.search(peakAt(0.01), LambdaGrid.fixed(List.of(0.5, 0.1, 1.0)));
        // then
        assertThat(choice.meanValidation()).containsOnlyKeys(0.1, 0.5, 1.0);
        assertThat(choice.lambda()).isEqualTo(0.1);
        assertThat(choice.edge()).isEqualTo(LambdaSearch.Edge.LOW);
    }

    @Test
    void shouldPreferTheSmallerLambdaAmongEqualScores() {
        // given a plateau from 0.25 to 1 with lower scores outside
        DoubleUnaryOperator plateau = lambda -> lambda >= 0.25 && lambda <= 1 ? 1 : 0;
        // when
        LambdaSearch.Choice choice = LambdaSearch.search(plateau, LambdaGrid.adaptive());
        // then
        assertThat(choice.lambda()).isEqualTo(0.25);
        assertThat(choice.edge()).isEqualTo(LambdaSearch.Edge.NONE);
    }
}
