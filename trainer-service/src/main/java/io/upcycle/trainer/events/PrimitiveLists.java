package io.upcycle.trainer.events;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Read-only {@link List} views over primitive arrays, so that an {@code ExampleLosses} record can
 * be built on the training thread in O(1): the boxing happens later, element by element, when the
 * publisher thread serializes it. The arrays must not change after they are wrapped.
 */
public final class PrimitiveLists {
    private PrimitiveLists() {
    }

    public static List<Float> floats(float[] values) {
        return new FloatView(values);
    }

    public static List<Integer> ints(int[] values) {
        return new IntView(values);
    }

    public static List<Boolean> booleans(boolean[] values) {
        return new BooleanView(values);
    }

    private static final class FloatView extends AbstractList<Float> implements RandomAccess {
        private final float[] values;

        FloatView(float[] values) {
            this.values = values;
        }

        @Override
        public Float get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    private static final class IntView extends AbstractList<Integer> implements RandomAccess {
        private final int[] values;

        IntView(int[] values) {
            this.values = values;
        }

        @Override
        public Integer get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    private static final class BooleanView extends AbstractList<Boolean> implements RandomAccess {
        private final boolean[] values;

        BooleanView(boolean[] values) {
            this.values = values;
        }

        @Override
        public Boolean get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
