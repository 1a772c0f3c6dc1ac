package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PatchSlotTest {

    @Test
    void shouldHoldEachChangedExampleOnceInFirstChangeOrderWithItsLatestValuesAcrossManySlotsAndEncodes() {
        // given a run of 50,000 examples and a slot that sees batches of 64, some examples again
        int n = 50_000;
        float[] losses = new float[n];
        ExampleSignals signals = ExampleSignals.empty(n);
        PatchSlot slot = new PatchSlot();
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            LinkedHashSet<Integer> expected = new LinkedHashSet<>();
            int batches = 1 + random.nextInt(30);
            for (int b = 0; b < batches; b++) {
                // when a batch changes (ids drawn from a small range so that many repeat) and the slot refreshes
                int[] ids = random.ints(64, 0, round % 2 == 0 ? 500 : n).toArray();
                for (int id : ids) {
                    losses[id] = random.nextFloat();
                    signals.el2n[id] = random.nextFloat();
                    signals.flags[id] = (byte) random.nextInt(32);
                    signals.forgets[id] = (short) (random.nextInt(10) == 0 ? Short.MAX_VALUE : random.nextInt(1000));
                    expected.add(id);
                }
                slot.mark(ids);
                slot.refresh(losses, signals, true);
                if (random.nextBoolean()) {
                    slot.encode(7, true); // as a save after a record: the next encode merges only what came since
                }
            }

            // then it holds every changed example once, in first-change order
            int[] order = expected.stream().mapToInt(Integer::intValue).toArray();
            assertThat(slot.ids()).containsExactly(order);
            // and its patch (EL2N in two rounds of three) is byte for byte that of a slot encoded once (ids in ascending order)
            boolean withEl2n = round % 3 != 0;
            PatchSlot once = new PatchSlot();
            once.mark(order);
            once.refresh(losses, signals, true);
            assertThat(slot.encode(7, withEl2n)).isEqualTo(once.encode(7, withEl2n));
            // and gives a fresh run exactly the values now in the arrays
            RunState read = RunState.started("run", "task", n, 2, 8);
            ByteBuffer in = ByteBuffer.wrap(slot.encode(7, withEl2n)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(in.get()).isEqualTo(PatchSlot.FORMAT);
            assertThat(in.getLong()).isEqualTo(7);
            PatchSlot.apply(in, read, "run/p0");
            assertThat(in.remaining()).isZero();
            for (int id : order) {
                assertThat(read.latestLosses()[id]).isEqualTo(losses[id]);
                assertThat(read.examples().el2n[id]).isEqualTo(Float.valueOf(withEl2n ? signals.el2n[id] : Float.NaN));
                assertThat(read.examples().flags[id]).isEqualTo(signals.flags[id]);
                assertThat(read.examples().forgets[id]).isEqualTo(signals.forgets[id]);
            }
            assertThat(IntStream.range(0, n).filter(id -> !Float.isNaN(read.latestLosses()[id])).count())
                    .as("examples with a loss").isEqualTo(order.length);
            slot.clear();
            assertThat(slot.size()).isZero();
        }
    }

    @Test
    void shouldStartEmptyAfterASlotGrownByAFullPass() {
        // given a slot that took 100,000 examples at once
        int n = 100_000;
        PatchSlot slot = new PatchSlot();
        slot.mark(IntStream.range(0, n).toArray());
        slot.refresh(new float[n], ExampleSignals.empty(n), true);
        slot.clear();

        // when the next slot sees a few examples, one of them twice
        slot.mark(new int[] {5, 99_999, 5});

        // then only those are in it
        assertThat(List.of(slot.size(), slot.ids().length)).containsExactly(2, 2);
        assertThat(slot.ids()).containsExactly(5, 99_999);
    }

    @Test
    void shouldEncodeAnExampleOfAMillionInSevenBytesWithoutEl2n() {
        // given a slot of 300 examples drawn from a run of 1 M (a shuffled epoch's batches), with losses and flags
        int n = 1_000_000;
        float[] losses = new float[n];
        ExampleSignals signals = ExampleSignals.empty(n);
        PatchSlot slot = new PatchSlot();
        int[] ids = new SplittableRandom(3).ints(0, n).distinct().limit(300).toArray();
        for (int id : ids) {
            losses[id] = 0.25f + id;
            signals.flags[id] = 3;
        }
        slot.mark(ids);
        slot.refresh(losses, signals, true);

        // when it is encoded without and with EL2N
        int without = slot.encode(1, false).length;
        int with = slot.encode(1, true).length;

        // then an example costs at most 7 bytes (id distance 2 or 3, loss 4, flags 1), 4 more with EL2N, not 15
        assertThat(without).isLessThanOrEqualTo(1 + 8 + 4 + 1 + 7 * 300);
        assertThat(with - without).isEqualTo(4 * 300);
    }

    @Test
    void shouldRefuseAPatchNamingAnExampleOutsideTheRunWithItsKey() {
        // given a patch of example 900 read into a run of 100 examples
        PatchSlot slot = new PatchSlot();
        slot.mark(new int[] {900});
        slot.refresh(new float[1000], ExampleSignals.empty(1000), false);
        ByteBuffer in = ByteBuffer.wrap(slot.encode(1, false)).order(ByteOrder.LITTLE_ENDIAN);
        in.position(9);

        // when / then
        assertThatThrownBy(() -> PatchSlot.apply(in, RunState.started("r", "t", 100, 2, 8), "r\0p4"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'r/p4'")
                .hasMessageContaining("example 900 of a run of 100");
    }
}
