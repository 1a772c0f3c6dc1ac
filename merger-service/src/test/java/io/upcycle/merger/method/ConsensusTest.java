package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.upcycle.merger.TfEngineTest;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ConsensusTest extends TfEngineTest {

    // three trimmed task vectors over five entries, used by every test:
    //   entry:   0     1     2     3     4
    //   t1:      2    -1     0     3     0
    //   t2:     -1    -3     0    -3     0
    //   t3:      4     0     0     1     0
    //   sum:     5    -4     0     1     0
    private List<NDArray> taus() {
        return List.of(manager.create(new float[] {2f, -1f, 0f, 3f, 0f}),
                manager.create(new float[] {-1f, -3f, 0f, -3f, 0f}),
                manager.create(new float[] {4f, 0f, 0f, 1f, 0f}));
    }

    @Test
    void shouldElectTheSignOfTheSumAndPlusOneWhereTheSumIsZero() {
        // when
        NDArray sign = Consensus.electSign(taus());

        // then
        assertThat(sign.toFloatArray()).containsExactly(1f, -1f, 1f, 1f, 1f);
    }

    @Test
    void shouldAverageOnlyTheAgreeingNonZeroEntriesWhenMergingDisjointly() {
        // given elected sign +1, -1, +1, +1, +1
        NDArray sign = manager.create(new float[] {1f, -1f, 1f, 1f, 1f});

        // when
        NDArray merged = Consensus.disjointMerge(taus(), sign);

        // then entry 0: (2 + 4) / 2; entry 1: (-1 - 3) / 2; entry 2: no agreeing entry -> 0;
        // entry 3: (3 + 1) / 2; entry 4: 0
        assertThat(merged.toFloatArray()).containsExactly(new float[] {3f, -2f, 0f, 2f, 0f}, Offset.offset(1e-6f));
    }

    @Test
    void shouldSumOrDisjointlyAverageAccordingToTheConsensus() {
        // given
        List<NDArray> taus = taus();

        // when
        float[] sum = Consensus.NONE.combine(taus).toFloatArray();
        float[] ties = Consensus.SIGN_ELECTION.combine(taus).toFloatArray();

        // then the inputs are left as they were
        assertThat(sum).containsExactly(5f, -4f, 0f, 1f, 0f);
        assertThat(ties).containsExactly(new float[] {3f, -2f, 0f, 2f, 0f}, Offset.offset(1e-6f));
        assertThat(taus.get(0).toFloatArray()).containsExactly(2f, -1f, 0f, 3f, 0f);
    }
}
