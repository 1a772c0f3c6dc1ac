package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorReplayTest {
    static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldReproduceTheSameDecisionsWhenTheSameLogIsReplayed(@TempDir Path first, @TempDir Path second) {
        // given the same log of three runs with noisy, decreasing losses
        // when it is processed by two independent monitors
        List<StopDecision> original = replay(first);
        List<StopDecision> replayed = replay(second);

        // then the decisions are equal field by field, ids included
        assertThat(original).isNotEmpty().isEqualTo(replayed);
        assertThat(original).extracting(StopDecision::getDecisionId).doesNotHaveDuplicates();
    }

    private static List<StopDecision> replay(Path stateDir) {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            Random random = new Random(42);
            String[] runs = {"a", "b", "c"};
            int examples = 200;
            for (String run : runs) {
                h.runs.pipeInput(run, Events.started(run, examples), T0);
            }
            for (int step = 1; step <= 120; step++) {
                for (int r = 0; r < runs.length; r++) {
                    int[] ids = new int[32];
                    float[] losses = new float[32];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = random.nextInt(examples);
                        losses[i] = (float) (Math.exp(-step * (r + 1) / 15.0) * random.nextDouble() * 2);
                    }
                    h.losses.pipeInput(runs[r], Events.losses(runs[r], step, ids, losses), T0 + step);
                    if (step % 10 == 0) {
                        h.checkpoints.pipeInput(runs[r], Events.checkpoint(runs[r], step), T0 + step);
                    }
                }
            }
            return h.decisions.readValuesToList();
        }
    }
}
