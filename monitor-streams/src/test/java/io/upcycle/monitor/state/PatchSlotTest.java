package io.upcycle.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchSlotTest {

    @Test
    void shouldHoldEachChangedExampleOnceInFirstChangeOrderWithItsLatestValuesAcrossManySlots() {
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
                    signals.flags[id] = (byte) random.nextInt(8);
                    signals.forgets[id] = (short) random.nextInt(1000);
                    expected.add(id);
                }
                slot.mark(ids);
                slot.refresh(losses, signals);
            }

            // then it holds every changed example once, in first-change order, with the values now in the arrays
            int[] order = expected.stream().mapToInt(Integer::intValue).toArray();
            assertThat(slot.ids()).containsExactly(order);
            ByteBuffer out = ByteBuffer.allocate(15 * order.length).order(ByteOrder.LITTLE_ENDIAN);
            slot.writeTo(out);
            out.flip();
            int[] ids = new int[order.length];
            out.asIntBuffer().get(ids);
            out.position(4 * order.length);
            assertThat(ids).containsExactly(order);
            for (int id : order) {
                assertThat(out.getFloat(4 * order.length + 4 * indexOf(order, id))).isEqualTo(losses[id]);
                assertThat(out.getFloat(8 * order.length + 4 * indexOf(order, id))).isEqualTo(signals.el2n[id]);
                assertThat(out.get(12 * order.length + indexOf(order, id))).isEqualTo(signals.flags[id]);
                assertThat(out.getShort(13 * order.length + 2 * indexOf(order, id))).isEqualTo(signals.forgets[id]);
            }
            slot.clear();
            assertThat(slot.size()).isZero();
        }
    }

    @Test
    void shouldStartEmptyAfterASlotGrownByAFullPass() {
        // given a slot that took 100,000 examples at once
        int n = 100_000;
        PatchSlot slot = new PatchSlot();
        slot.mark(java.util.stream.IntStream.range(0, n).toArray());
        slot.refresh(new float[n], ExampleSignals.empty(n));
        slot.clear();

        // when the next slot sees a few examples, one of them twice
        slot.mark(new int[] {5, 99_999, 5});

        // then only those are in it
        assertThat(List.of(slot.size(), slot.ids().length)).containsExactly(2, 2);
        assertThat(slot.ids()).containsExactly(5, 99_999);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
