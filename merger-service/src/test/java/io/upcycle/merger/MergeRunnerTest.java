package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.ReferenceMerge;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.schemas.avro.TaskScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeRunnerTest extends TfEngineTest {
    @TempDir
    Path dir;

    private MergeRunner runner(TinyExperts fixture, List<Double> lambdas) {
        return new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                new MergeOptions(lambdas, 16, 7L));
    }

    @Test
    void shouldWriteBasePlusLambdaTimesTheSummedTaskVectorsAndScoreEveryTask() throws IOException {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 1L, List.of("run-a", "run-b"));
        List<Double> lambdas = List.of(0.3, 0.6, 1.0);

        // when
        MergeResult result = runner(fixture, lambdas).run(fixture.plan("plan-1"), fixture.checkpoints());

        // then lambda is the grid's best by mean validation accuracy, recomputed here in plain Java
        Map<Double, Double> expectedMeans = new HashMap<>();
        for (double lambda : lambdas) {
            Map<String, Tensor> trunk = expectedTrunk(fixture, lambda);
            expectedMeans.put(lambda, (javaAccuracy(fixture, "run-a", trunk, "validation")
                    + javaAccuracy(fixture, "run-b", trunk, "validation")) / 2);
        }
        assertThat(result.meanValidationByLambda()).containsOnlyKeys(lambdas);
        lambdas.forEach(l -> assertThat(result.meanValidationByLambda().get(l)).isCloseTo(expectedMeans.get(l), Offset.offset(1e-9)));
        double best = lambdas.stream().max((x, y) -> Double.compare(expectedMeans.get(x), expectedMeans.get(y))).orElseThrow();
        assertThat(expectedMeans.get(result.lambda())).isEqualTo(expectedMeans.get(best));
        // and the event says what was tried and whether the choice is at an edge of it
        String edge = result.lambda() == 0.3 ? "low" : result.lambda() == 1.0 ? "high" : "none";
        assertThat(result.event().getParameters()).containsEntry(MergeRunner.LAMBDA_TRIED, "[0.3, 0.6, 1.0]")
                .containsEntry(MergeRunner.LAMBDA_EDGE, edge).containsEntry(MergeRunner.LAMBDA_SEARCH, "fixed grid [0.3, 0.6, 1.0]");

        // and the stored trunk is base + lambda * (tau_a + tau_b), with each expert's own head kept
        Map<String, Tensor> expected = expectedTrunk(fixture, result.lambda());
        try (SafetensorsFile output = Safetensors.open(result.output().path())) {
            for (String name : ExpertLayout.TRUNK) {
                assertThat(output.read(name).data()).containsExactly(expected.get(name).data(), Offset.offset(1e-5f));
            }
            assertThat(output.read("experts.run-b.head.weight").data())
                    .containsExactly(fixture.expertTensors.get("run-b").get(ExpertLayout.HEAD_WEIGHT).data());
            assertThat(output.metadata()).containsEntry("upcycle.plan_id", "plan-1");
        }

        // and the scores match a plain-Java evaluation of the merged and the expert networks
        List<TaskScore> scores = result.event().getScores();
        assertThat(scores).extracting(TaskScore::getTask).containsExactly("task-of-run-a", "task-of-run-b");
        for (TaskScore score : scores) {
            String run = score.getTask().substring("task-of-".length());
            assertThat(score.getExpertAccuracy()).isEqualTo(1.0);
            assertThat(score.getMergedAccuracy()).isCloseTo(javaAccuracy(fixture, run, expected, "test"), Offset.offset(1e-9));
            assertThat(score.getNormalizedAccuracy()).isEqualTo(score.getMergedAccuracy() / score.getExpertAccuracy());
            assertThat(score.getExamples()).isEqualTo(60);
        }

        // and the event and the card carry the provenance
        assertThat(result.event().getMergeId()).startsWith("plan-1-");
        assertThat(result.event().getOutputSha256()).isEqualTo(Sha256.of(result.output().path()));
        assertThat(result.event().getBaseSha256()).isEqualTo(fixture.base.sha256());
        assertThat(result.event().getExperts()).extracting(e -> e.getSha256())
                .containsExactly(fixture.experts.get("run-a").sha256(), fixture.experts.get("run-b").sha256());
        assertThat(result.event().getParameters()).containsEntry("lambda", Double.toString(result.lambda()));
        JsonNode card = new ObjectMapper().readTree(Files.readString(result.card()));
        assertThat(card.path("planId").asText()).isEqualTo("plan-1");
        assertThat(card.path("experts").get(1).path("runId").asText()).isEqualTo("run-b");
        assertThat(card.path("lambdaSearch").size()).isEqualTo(3);
        assertThat(card.path("scores").size()).isEqualTo(2);
    }

    @Test
    void shouldGiveTheSameMergeIdWhenTheSamePlanIsMergedAgain() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 2L, List.of("run-a", "run-b"));

        // when
        MergeResult first = runner(fixture, List.of(0.5, 1.0)).run(fixture.plan("p"), fixture.checkpoints());
        MergeResult second = runner(fixture, List.of(0.5, 1.0)).run(fixture.plan("p"), fixture.checkpoints());

        // then
        assertThat(second.event().getMergeId()).isEqualTo(first.event().getMergeId());
        assertThat(second.output().sha256()).isEqualTo(first.output().sha256());
    }

    @Test
    void shouldRefuseAnExpertCheckpointWhoseHashDiffersNamingTheFile() throws IOException {
        // given run-b's file changed after its decision was published
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 3L, List.of("run-a", "run-b"));
        Path tampered = fixture.experts.get("run-b").path();
        Files.write(tampered, new byte[] {1}, StandardOpenOption.APPEND);

        // when / then
        assertThatThrownBy(() -> runner(fixture, List.of(1.0)).run(fixture.plan("p"), fixture.checkpoints()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(tampered.toString())
                .hasMessageContaining("expected sha256 " + fixture.experts.get("run-b").sha256());
        assertThat(dir.resolve("merges")).doesNotExist();
    }

    @Test
    void shouldMergeByTiesWithTheGivenDensityWhenThePlanNamesTies() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 4L, List.of("run-a", "run-b"));
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                new MergeOptions(List.of(0.5, 1.0), 16, 7L, OptionalDouble.of(0.5)));

        // when
        MergeResult result = runner.run(fixture.plan("ties-plan", "ties"), fixture.checkpoints());

        // then the trunk is base + lambda * TIES(tau_a, tau_b) at density 0.5, recomputed in plain Java
        try (SafetensorsFile output = Safetensors.open(result.output().path())) {
            for (String name : ExpertLayout.TRUNK) {
                float[] base = fixture.baseTensors.get("base").get(name).data();
                List<float[]> trimmed = fixture.expertTensors.values().stream()
                        .map(e -> ReferenceMerge.trim(ReferenceMerge.minus(e.get(name).data(), base), 0.5)).toList();
                float[] delta = ReferenceMerge.signedDisjointMean(trimmed);
                float[] expected = new float[base.length];
                for (int i = 0; i < base.length; i++) {
                    expected[i] = (float) (base[i] + result.lambda() * delta[i]);
                }
                assertThat(output.read(name).data()).as(name).containsExactly(expected, Offset.offset(1e-5f));
            }
        }
        assertThat(result.event().getMethod()).isEqualTo("ties");
        assertThat(result.event().getParameters()).containsEntry("density", "0.5").containsEntry("seed", "7");
        assertThat(result.meanValidationByLambda()).containsOnlyKeys(0.5, 1.0);
    }

    @Test
    void shouldSkipTheLambdaSearchAndRecordTheDefaultDensityWhereTheMethodSaysSo() {
        // given
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 5L, List.of("run-a", "run-b"));

        // when
        MergeResult average = runner(fixture, List.of(0.3, 0.6)).run(fixture.plan("avg", "average"), fixture.checkpoints());
        MergeResult dare = runner(fixture, List.of(0.3, 0.6)).run(fixture.plan("dare", "dare_linear"), fixture.checkpoints());

        // then
        assertThat(average.meanValidationByLambda()).containsOnlyKeys(1.0);
        assertThat(dare.meanValidationByLambda()).containsOnlyKeys(0.3, 0.6);
        assertThat(dare.event().getParameters()).containsEntry("density", "0.1");
    }

    private static Map<String, Tensor> expectedTrunk(TinyExperts fixture, double lambda) {
        Map<String, Tensor> trunk = new HashMap<>();
        for (String name : ExpertLayout.TRUNK) {
            float[] base = fixture.baseTensors.get("base").get(name).data();
            float[] merged = base.clone();
            for (Map<String, Tensor> expert : fixture.expertTensors.values()) {
                float[] theta = expert.get(name).data();
                for (int i = 0; i < merged.length; i++) {
                    merged[i] += (float) (lambda * (theta[i] - base[i]));
                }
            }
            trunk.put(name, new Tensor(name, fixture.baseTensors.get("base").get(name).shape(), merged));
        }
        return trunk;
    }

    private static double javaAccuracy(TinyExperts fixture, String run, Map<String, Tensor> trunk, String splitName) {
        Map<String, Tensor> network = new HashMap<>(fixture.expertTensors.get(run));
        network.putAll(trunk);
        Split split = splitName.equals("test") ? fixture.tasks.get(TinyExperts.task(run)).test()
                : fixture.tasks.get(TinyExperts.task(run)).validation();
        int correct = 0;
        for (int i = 0; i < split.size(); i++) {
            correct += TinyExperts.predict(network, split.row(i)) == split.labels()[i] ? 1 : 0;
        }
        return (double) correct / split.size();
    }
}
