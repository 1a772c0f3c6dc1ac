package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.TaskScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeDifficultyTest extends TfEngineTest {
    @TempDir
    Path dir;

    /** The run's "early" checkpoint: the base trunk under the expert's own head, saved as step 32. */
    private static StoredCheckpoint saveReference(TinyExperts fixture, String run) {
        Map<String, Tensor> early = new LinkedHashMap<>(fixture.baseTensors.get("base"));
        ExpertLayout.HEAD.forEach(name -> early.put(name, fixture.expertTensors.get(run).get(name)));
        return fixture.store.save(run, 32, "FULL_WEIGHTS", early.values(), Map.of());
    }

    @Test
    void shouldScoreExpertAndMergedOnEasyAndHardTrainingExamplesByEarlyEl2n() throws IOException {
        // given run-a has a step-32 checkpoint beside its stopped one; run-b has none
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 21L, List.of("run-a", "run-b"));
        StoredCheckpoint reference = saveReference(fixture, "run-a");
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                new MergeOptions(List.of(0.5, 1.0), 16, 7L, OptionalDouble.empty(), new DifficultyOptions(32, 0.25)));

        // when
        MergeResult result = runner.run(fixture.plan("p"), fixture.checkpoints());

        // then run-a's 8 training examples are ranked by EL2N under the reference, recomputed in plain Java
        Split train = fixture.tasks.get(TinyExperts.task("run-a")).train();
        Map<String, Tensor> early = new HashMap<>(fixture.baseTensors.get("base"));
        ExpertLayout.HEAD.forEach(name -> early.put(name, fixture.expertTensors.get("run-a").get(name)));
        double[] el2n = new double[train.size()];
        for (int i = 0; i < train.size(); i++) {
            el2n[i] = JavaNetwork.el2n(JavaNetwork.logits(early, train.row(i)), train.labels()[i]);
        }
        double[] sorted = el2n.clone();
        Arrays.sort(sorted);
        double cutoff = sorted[train.size() - 2]; // ceil(0.25 * 8) = 2 hard examples
        Map<String, Tensor> merged = new HashMap<>(fixture.expertTensors.get("run-a"));
        try (SafetensorsFile output = Safetensors.open(result.output().path())) {
            ExpertLayout.TRUNK.forEach(name -> merged.put(name, output.read(name)));
        }
        int[] right = new int[2];
        int[] count = new int[2];
        for (int i = 0; i < train.size(); i++) {
            int hard = el2n[i] >= cutoff ? 1 : 0;
            count[hard]++;
            right[hard] += TinyExperts.predict(merged, train.row(i)) == train.labels()[i] ? 1 : 0;
        }
        TaskScore a = result.event().getScores().get(0);
        DifficultyScore split = a.getDifficulty();
        assertThat(split).isNotNull();
        assertThat(split.getHardExamples()).isEqualTo(count[1]).isEqualTo(2);
        assertThat(split.getEasyExamples()).isEqualTo(count[0]).isEqualTo(6);
        assertThat(split.getHardCutoff()).isCloseTo(cutoff, Offset.offset(1e-5));
        // the labels are the expert's own predictions, so the expert is right on both parts
        assertThat(split.getExpertEasyAccuracy()).isEqualTo(1.0);
        assertThat(split.getExpertHardAccuracy()).isEqualTo(1.0);
        assertThat(split.getMergedEasyAccuracy()).isEqualTo(right[0] / 6.0);
        assertThat(split.getMergedHardAccuracy()).isEqualTo(right[1] / 2.0);
        assertThat(split.getReferenceStep()).isEqualTo(32);
        assertThat(split.getReferenceSha256()).isEqualTo(reference.sha256()).isEqualTo(Sha256.of(reference.path()));
        assertThat(split.getReferenceVerified()).isFalse();
        assertThat(split.getHardFraction()).isEqualTo(0.25);

        // and run-b, without a reference, has no split; the card carries run-a's
        assertThat(result.event().getScores().get(1).getDifficulty()).isNull();
        JsonNode scores = new ObjectMapper().readTree(Files.readString(result.card())).path("scores");
        assertThat(scores.get(0).path("difficulty").path("mergedHardAccuracy").asDouble()).isEqualTo(right[1] / 2.0);
        assertThat(scores.get(0).path("difficulty").path("referenceVerified").asBoolean()).isFalse();
        assertThat(scores.get(1).has("difficulty")).isFalse();
    }

    @Test
    void shouldSplitByTheConfiguredReferenceStep() {
        // given the only early checkpoint is step 32, but the merger is told to look for step 16
        TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), 22L, List.of("run-a"));
        saveReference(fixture, "run-a");
        MergeRunner runner = new MergeRunner(fixture.store, MergeMethods.defaults(), fixture.tasks::get, manager, "cpu",
                new MergeOptions(List.of(1.0), 16, 7L, OptionalDouble.empty(), new DifficultyOptions(16, 0.1)));

        // when
        MergeResult result = runner.run(fixture.plan("p"), fixture.checkpoints());

        // then
        assertThat(result.event().getScores().get(0).getDifficulty()).isNull();
    }
}
