package io.upcycle.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerBenchmarkResultTest {
    private static final TrainerBenchmarkOptions TWO_ROUNDS = new TrainerBenchmarkOptions("t", 2, 1000, 0, 64, 1, 2, 100);

    @Test
    void shouldComputeThePerRoundOverheadOfSeparateRuns() {
        // given per-round overheads of 10% and 15%
        TrainerBenchmarkResult result = result(List.of(run(0, false, 2.0, 0), run(0, true, 2.2, 0.022),
                run(1, true, 2.3, 0.023), run(1, false, 2.0, 0)), List.of());

        // when / then
        assertThat(result.overheadPercentByRound().mean()).isCloseTo(12.5, within(1e-9));
        assertThat(result.overheadPercentByRound().standardError()).isCloseTo(2.5, within(1e-9));
        assertThat(result.overheadPercent()).isCloseTo(12.5, within(1e-9));
        assertThat(result.handOverSharePercent()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldFailTheTargetWhenEveryPairIsClearlyAboveIt() {
        // given per-pair overheads of 10% and 15% (the second pair in ABBA order): mean 12.5, s.e. 2.5, so 12.5 - 2 x 2.5 > 2
        TrainerBenchmarkResult result = result(List.of(), List.of(block(true, 2.2), block(false, 2.0),
                block(false, 2.0), block(true, 2.3)));

        // when / then
        assertThat(result.overheadPercentByPair().mean()).isCloseTo(12.5, within(1e-9));
        assertThat(result.overheadPercentByPair().standardError()).isCloseTo(2.5, within(1e-9));
        assertThat(result.wallTimeConclusive()).isTrue();
        assertThat(result.meetsTarget()).contains(false);
    }

    @Test
    void shouldLeaveTheTargetUndecidedWhenPairsDisagree() {
        // given per-pair overheads of 1% and 30%: the target lies within mean ± 2 s.e.
        TrainerBenchmarkResult result = result(List.of(), List.of(block(true, 2.02), block(false, 2.0),
                block(false, 2.0), block(true, 2.6)));

        // when / then
        assertThat(result.wallTimeConclusive()).isFalse();
        assertThat(result.meetsTarget()).isEmpty();
    }

    @Test
    void shouldMeetTheTargetWhenEveryPairIsClearlyBelowIt() {
        // given per-pair overheads of 0.5% and 1%: mean 0.75, s.e. 0.25
        TrainerBenchmarkResult result = result(List.of(), List.of(block(true, 2.01), block(false, 2.0),
                block(false, 2.0), block(true, 2.02)));

        // when / then
        assertThat(result.meetsTarget()).contains(true);
    }

    @Test
    void shouldNotDecideWithoutAnInterleavedRunWhateverTheSeparateRunsSay() {
        // given separate runs clearly below the target but no interleaved run
        TrainerBenchmarkResult result = result(List.of(run(0, false, 2.0, 0), run(0, true, 2.01, 0.01),
                run(1, true, 2.02, 0.01), run(1, false, 2.0, 0)), List.of());

        // when / then
        assertThat(result.meetsTarget()).isEmpty();
    }

    private static TrainerBenchmarkResult result(List<BenchRun> runs, List<BenchBlock> blocks) {
        return new TrainerBenchmarkResult(TWO_ROUNDS, 100, 2, "sha", runs, blocks, 1, 1, 1);
    }

    private static BenchRun run(int round, boolean publish, double msPerStep, double handOverMs) {
        return new BenchRun(round, publish, 1000, msPerStep, handOverMs, msPerStep, 0, 64_000 / msPerStep, 0, 0, 0, 0, 0, 0, 0, 1, 1);
    }

    private static BenchBlock block(boolean publish, double msPerStep) {
        return new BenchBlock(publish, 100, Math.round(msPerStep * 100 * 1e6), 0, 0, 0, 0);
    }
}
