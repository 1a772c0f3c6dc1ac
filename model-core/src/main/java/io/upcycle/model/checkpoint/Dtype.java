package io.upcycle.model.checkpoint;

import java.nio.ByteBuffer;

/**
 * The safetensors element types: their sizes (to validate any file's offsets) and, for the
 * floating-point ones this project reads, the conversion to float32.
 */
public enum Dtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether {@link #toFloat} converts this type. */
    public boolean readable() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Reads one element from a little-endian buffer as a float. */
    float toFloat(ByteBuffer in) {
        return switch (this) {
            case F32 -> in.getFloat();
            case F64 -> (float) in.getDouble();
            case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
            case F16 -> halfToFloat(in.getShort());
            default -> throw new UnsupportedOperationException(name() + " cannot be read as float");
        };
    }

    /** IEEE 754 binary16 to binary32, including subnormals, infinities and NaN. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
