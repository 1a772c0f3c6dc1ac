package io.upcycle.monitor.tracking;

import java.util.List;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Copies Avro array fields into primitive arrays. Avro 1.12 decodes int and float arrays into
 * primitive-backed lists; reading them through their primitive getters avoids boxing every loss.
 */
public final class PrimitiveArrays {
    private PrimitiveArrays() {
    }

    public static int[] ints(List<Integer> list) {
        int[] out = new int[list.size()];
        if (list instanceof PrimitivesArrays.IntArray primitive) {
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getInt(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
        }
        return out;
    }

    public static float[] floats(List<Float> list) {
        float[] out = new float[list.size()];
        if (list instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getFloat(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
        }
        return out;
    }

    public static boolean[] booleans(List<Boolean> list) {
        boolean[] out = new boolean[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
