package io.upcycle.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.cli.report.StudyResults.MethodResult;
import io.upcycle.cli.report.StudyResults.ModeResult;
import io.upcycle.cli.report.StudyResults.TaskStop;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StudyResultsTest {
    private static final Offset<Double> EPS = within(1e-9);
    /** Sample s.d. of two seeds 0.02 apart: sqrt(2 * 0.01^2 / 1). */
    private static final double SD = Math.sqrt(2e-4);

    private final StudyResults results = StudyResults.from(StudyFixture.events());

    @Test
    void shouldAverageOverTasksThenSeedsWhenMergesAreGroupedByModeMethodAndPoint() {
        // given the fixture's FULL mode
        ModeResult full = results.modes().get(0);
        MethodResult ties = full.method("ties");

        // then seed 1 (.90 + .80) / 2 = .85, seed 2 .83: .84 ± sqrt(2e-4); the full budget (128) .79; normalized + .1
        assertThat(full.mode()).isEqualTo("FULL");
        assertThat(full.fullBudget()).isEqualTo(128);
        assertThat(full.tasks()).containsExactly("spam", "grain");
        assertThat(full.seeds()).containsExactly(1L, 2L);
        assertThat(ties.auto().merged().values()).containsExactly(0.85, 0.83);
        assertThat(ties.auto().merged().mean()).isCloseTo(0.84, EPS);
        assertThat(ties.auto().merged().sd()).isCloseTo(SD, EPS);
        assertThat(ties.full().merged().mean()).isCloseTo(0.79, EPS);
        assertThat(ties.full().normalized().mean()).isCloseTo(0.89, EPS);
        assertThat(full.method("task_arithmetic").auto().merged().mean()).isCloseTo(0.82, EPS);
        assertThat(results.modes().get(1).method("moe_router").auto().merged().mean()).isCloseTo(0.71, EPS);
        assertThat(ties.auto().mergedByTask().get("spam").mean()).isCloseTo(0.89, EPS);
    }

    @Test
    void shouldPickTheFixedLengthWithTheHighestMeanAsTheBest() {
        // when
        MethodResult ties = results.modes().get(0).method("ties");

        // then 64 steps (.87) beats 32 (.71) and 128 (.79)
        assertThat(ties.byLength().keySet()).containsExactly(32L, 64L, 128L);
        assertThat(ties.bestLength()).isEqualTo(64);
        assertThat(ties.best().merged().mean()).isCloseTo(0.87, EPS);
    }

    @Test
    void shouldReportExpertAccuracyTheProbeAndEasyHardPerTask() {
        // given
        ModeResult full = results.modes().get(0);
        MethodResult ties = full.method("ties");

        // then experts: .95 at auto (spam .96, grain .94), .97 at the full budget; probe (.56, .54): .55; easy/hard on spam
        assertThat(ties.auto().expert().mean()).isCloseTo(0.95, EPS);
        assertThat(ties.auto().expert().sd()).isCloseTo(0, EPS);
        assertThat(ties.auto().expertByTask().get("spam").mean()).isCloseTo(0.96, EPS);
        assertThat(ties.full().expert().mean()).isCloseTo(0.97, EPS);
        assertThat(full.linearProbe().merged().mean()).isCloseTo(0.55, EPS);
        assertThat(full.linearProbe().merged().sd()).isCloseTo(SD, EPS);
        assertThat(ties.auto().difficultyByTask().get("spam").mergedHard().mean()).isCloseTo(0.60, EPS);
        assertThat(ties.full().difficultyByTask().get("spam").mergedHard().mean()).isCloseTo(0.40, EPS);
        assertThat(ties.auto().difficultyByTask()).doesNotContainKey("grain");
        assertThat(ties.auto().stepByTask().get("spam").values()).containsExactly(64.0, 32.0);
    }

    @Test
    void shouldGiveEachRunsStopStepAndReasonAndTheEnforcePassCompute() {
        // given
        ModeResult full = results.modes().get(0);

        // then observe stops first: spam at 70 (checkpoint 64) and 40 (32), grain end-of-run at 128
        assertThat(full.stops()).filteredOn(s -> s.pass().equals("observe"))
                .extracting(TaskStop::task, TaskStop::seed, TaskStop::decidedAtStep, TaskStop::checkpointStep, TaskStop::policy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("grain", 1L, 128L, 128L, "end-of-run"),
                        org.assertj.core.groups.Tuple.tuple("grain", 2L, 128L, 128L, "end-of-run"),
                        org.assertj.core.groups.Tuple.tuple("spam", 1L, 70L, 64L, "learned-fraction"),
                        org.assertj.core.groups.Tuple.tuple("spam", 2L, 40L, 32L, "learned-fraction"));
        assertThat(full.stops()).filteredOn(s -> s.runId().equals("full-spam-s1-observe")).singleElement()
                .satisfies(s -> assertThat(s.reason()).isEqualTo("learned fraction 0.980 >= 0.97 at step 70"));
        // and the enforce pass trained 70 + 40 + 128 + 128 = 366 of 4 x 128 = 512 steps: 146 saved, 28.515625 %
        assertThat(full.compute().stepsTrained()).isEqualTo(366);
        assertThat(full.compute().budgetSteps()).isEqualTo(512);
        assertThat(full.compute().savedPercent()).isCloseTo(28.515625, EPS);
        assertThat(results.modes().get(1).compute()).isNull();
        // and its two stopped runs stopped 140 and 170 ms after their decided steps went out, at those steps
        StudyResults.StopLag lag = full.compute().stopLag();
        assertThat(lag.stopped()).isEqualTo(2);
        assertThat(lag.timed()).isEqualTo(2);
        assertThat(lag.p50Ms()).isCloseTo(140, EPS);
        assertThat(lag.p99Ms()).isCloseTo(170, EPS);
        assertThat(lag.maxSteps()).isZero();
    }

    @Test
    void shouldKeepSignalsAndProvenanceFromTheEvents() {
        // given
        ModeResult full = results.modes().get(0);

        // then spam's seed-1 run: learned fraction over its decision window 63..70, train loss 1/step over 128 steps
        StudyResults.TaskSignals spam = full.signals().stream().filter(s -> s.task().equals("spam")).findFirst().orElseThrow();
        assertThat(spam.runId()).isEqualTo("full-spam-s1-observe");
        assertThat(spam.series().get("learned-fraction").firstKey()).isEqualTo(63L);
        assertThat(spam.series().get("learned-fraction").get(70L)).isCloseTo(70 / 72.0, EPS);
        assertThat(spam.series().get("train-loss")).hasSize(128);
        assertThat(spam.series().get("eval-loss").keySet()).containsExactly(32L, 64L, 96L, 128L);
        assertThat(spam.stop().decidedAtStep()).isEqualTo(70);
        assertThat(results.provenance().runs()).hasSize(12);
        assertThat(results.provenance().merges()).hasSize(2 * 2 * (2 * 4 + 1));
        assertThat(results.provenance().merges().get(0).experts().get(0).sha256())
                .isEqualTo(StudyFixture.sha("full-spam-s1-observe@64"));
        assertThat(results.studyId()).isEqualTo("study-t");
        assertThat(results.warnings()).isEmpty();
    }

    @Test
    void shouldSayWhetherTheAutomaticStopBeatsTheFullBudgetWhenComputingTheHeadline() {
        // when
        var sentences = Headline.sentences(results);

        // then FULL ties .84 vs .79: +5 points, outside one s.d.
        assertThat(sentences.get(0)).startsWith("FULL mode, ties: automatic stop beats the full budget by 5.0 points")
                .contains("84.0 ± 1.4% vs 79.0 ± 1.4% at 128 steps, 2 seed(s)")
                .contains("best fixed length (64 steps, chosen on test) gives 87.0 ± 1.4%")
                .doesNotContain("within one s.d.");
    }

    @Test
    void shouldSayItDoesNotBeatTheFullBudgetWhenItTrails() {
        // given a study where the full budget scores higher: the auto merges of FULL ties lose 10 points
        StudyEvents events = StudyFixture.events();
        events.merges().replaceAll(m -> !m.getTags().get("study.point").equals("auto") || !m.getMethod().equals("ties") ? m
                : io.upcycle.schemas.avro.MergeCompleted.newBuilder(m).setScores(m.getScores().stream()
                        .map(s -> io.upcycle.schemas.avro.TaskScore.newBuilder(s).setMergedAccuracy(s.getMergedAccuracy() - .10).build())
                        .toList()).build());

        // when
        String sentence = Headline.sentences(StudyResults.from(events)).get(0);

        // then .74 vs .79
        assertThat(sentence).startsWith("FULL mode, ties: automatic stop does not beat the full budget: it trails by 5.0 points");
    }

    @Test
    void shouldGroupReplayedRulesLabelledMethodsAndTheBaseHeadsBaselineAndCountLambdasAtAnEdge() {
        // given the fixture plus, for FULL ties: its auto merges again as plateau-rule merges (decided 96 and 128), as
        // ties:global merges with lambda at the high edge for seed 1, and as base_heads baselines
        StudyEvents events = StudyFixture.events();
        java.util.List<io.upcycle.schemas.avro.MergeCompleted> autoTies = events.merges().stream()
                .filter(m -> m.getMethod().equals("ties") && m.getTags().get("study.mode").equals("FULL")
                        && m.getTags().get("study.point").equals("auto")).toList();
        for (io.upcycle.schemas.avro.MergeCompleted m : autoTies) {
            events.merges().add(relabel(m, java.util.Map.of("study.point", "rule", "study.rule", "plateau",
                    "study.decided", "spam=96,grain=128"), java.util.Map.of()));
            events.merges().add(relabel(m, java.util.Map.of("study.method", "ties:global"),
                    java.util.Map.of("lambda", "16.0", "lambda.edge", m.getSeed() == 1 ? "high" : "none")));
            events.merges().add(relabel(m, java.util.Map.of("study.method", "base_heads"), java.util.Map.of("lambda", "0.0")));
        }
        // when
        ModeResult full = StudyResults.from(events).modes().get(0);
        // then the rule is its own point of ties, with its decided steps and the budget they used
        assertThat(full.rules()).containsExactly("plateau");
        assertThat(full.autoRule()).isEqualTo("learned-fraction");
        var plateau = full.method("ties").rules().get("plateau");
        assertThat(plateau.merged().mean()).isCloseTo(0.84, EPS);
        assertThat(plateau.decidedByTask().get("spam").mean()).isCloseTo(96, EPS);
        assertThat(plateau.budgetUsed(128)).isCloseTo((96 + 128) / 2.0 / 128, EPS);
        // and the labelled method is its own method, the baseline apart from the methods
        assertThat(full.methods()).extracting(MethodResult::method).containsExactly("task_arithmetic", "ties", "ties:global");
        assertThat(full.method("ties:global").auto().lambdaAtEdge()).isEqualTo(1);
        assertThat(full.method("ties:global").auto().lambda().mean()).isCloseTo(16, EPS);
        assertThat(full.baseHeads().auto().merged().mean()).isCloseTo(0.84, EPS);
        // and the report shows the rules side by side and flags the edge
        String html = HtmlReport.render(StudyResults.from(events), "log");
        assertThat(html).contains("Stop rules compared on the same runs").contains("plateau (replayed)")
                .contains("edge: 1 of 2").contains("base trunk + each expert");
    }

    private static io.upcycle.schemas.avro.MergeCompleted relabel(io.upcycle.schemas.avro.MergeCompleted m, java.util.Map<String, String> tags,
                                                               java.util.Map<String, String> parameters) {
        java.util.Map<String, String> newTags = new java.util.LinkedHashMap<>(m.getTags());
        newTags.putAll(tags);
        java.util.Map<String, String> newParameters = new java.util.LinkedHashMap<>(m.getParameters());
        newParameters.putAll(parameters);
        return io.upcycle.schemas.avro.MergeCompleted.newBuilder(m).setMergeId(m.getMergeId() + tags.hashCode()).setTags(newTags)
                .setParameters(newParameters).build();
    }

    @Test
    void shouldRefuseALogWithoutStudyMergeResults() {
        // given runs but no tagged merges
        StudyEvents events = StudyFixture.events();
        events.merges().clear();

        // when / then
        assertThatThrownBy(() -> StudyResults.from(events)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no study results");
    }
}
