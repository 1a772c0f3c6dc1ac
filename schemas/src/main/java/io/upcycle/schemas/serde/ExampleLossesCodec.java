package io.upcycle.schemas.serde;

import io.upcycle.schemas.avro.ExampleLosses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/**
 * {@link ExampleLosses} without boxing: its three per-example arrays are decoded into Avro's
 * primitive-backed lists ({@link PrimitivesArrays}) element by element, and written from them the
 * same way. At a thousand examples per record, the generic path allocated a boxed Float or
 * Integer per element, most of what the monitor allocated.
 */
final class ExampleLossesCodec implements DirectCodec<ExampleLosses> {
    private static final Schema SCHEMA = ExampleLosses.getClassSchema();
    private static final Schema IDS = SCHEMA.getField("exampleIds").schema();
    private static final Schema LOSSES = SCHEMA.getField("losses").schema();
    private static final Schema EL2N = SCHEMA.getField("el2n").schema();

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public ExampleLosses read(Decoder in) throws IOException {
        ExampleLosses out = new ExampleLosses();
        out.setRunId(in.readString());
        out.setStep(in.readLong());
        out.setExampleIds(readInts(in));
        out.setLosses(readFloats(in, LOSSES));
        out.setCorrect(readBooleans(in));
        out.setEl2n(readFloats(in, EL2N));
        out.setFullPass(in.readBoolean());
        return out;
    }

    @Override
    public void write(ExampleLosses value, Encoder out) throws IOException {
        out.writeString(value.getRunId());
        out.writeLong(value.getStep());
        List<Integer> ids = value.getExampleIds();
        start(out, ids.size());
        if (ids instanceof PrimitivesArrays.IntArray primitive) {
            for (int i = 0; i < ids.size(); i++) {
                out.startItem();
                out.writeInt(primitive.getInt(i));
            }
        } else {
            for (Integer id : ids) {
                out.startItem();
                out.writeInt(id);
            }
        }
        out.writeArrayEnd();
        writeFloats(value.getLosses(), out);
        List<Boolean> correct = value.getCorrect();
        start(out, correct.size());
        for (Boolean flag : correct) {
            out.startItem();
            out.writeBoolean(flag);
        }
        out.writeArrayEnd();
        writeFloats(value.getEl2n(), out);
        out.writeBoolean(value.getFullPass());
    }

    private static void start(Encoder out, int size) throws IOException {
        out.writeArrayStart();
        out.setItemCount(size);
    }

    private static void writeFloats(List<Float> values, Encoder out) throws IOException {
        start(out, values.size());
        if (values instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < values.size(); i++) {
                out.startItem();
                out.writeFloat(primitive.getFloat(i));
            }
        } else {
            for (Float value : values) {
                out.startItem();
                out.writeFloat(value);
            }
        }
        out.writeArrayEnd();
    }

    private static PrimitivesArrays.IntArray readInts(Decoder in) throws IOException {
        long block = in.readArrayStart();
        PrimitivesArrays.IntArray out = new PrimitivesArrays.IntArray(capacity(block), IDS);
        int index = 0;
        while (block > 0) {
            for (long i = 0; i < block; i++) {
                out.add(index++, in.readInt());
            }
            block = in.arrayNext();
        }
        return out;
    }

    private static PrimitivesArrays.FloatArray readFloats(Decoder in, Schema schema) throws IOException {
        long block = in.readArrayStart();
        PrimitivesArrays.FloatArray out = new PrimitivesArrays.FloatArray(capacity(block), schema);
        int index = 0;
        while (block > 0) {
            for (long i = 0; i < block; i++) {
                out.add(index++, in.readFloat());
            }
            block = in.arrayNext();
        }
        return out;
    }

    /** Into a plain list: Boolean values are cached, and Avro 1.12.2's BooleanArray cannot grow past its first capacity. */
    private static List<Boolean> readBooleans(Decoder in) throws IOException {
        long block = in.readArrayStart();
        List<Boolean> out = new ArrayList<>(capacity(block));
        while (block > 0) {
            for (long i = 0; i < block; i++) {
                out.add(in.readBoolean());
            }
            block = in.arrayNext();
        }
        return out;
    }

    /** The first block's count as an initial capacity, bounded so a corrupt count cannot allocate gigabytes. */
    private static int capacity(long block) {
        return (int) Math.min(Math.max(block, 0), 1 << 16);
    }
}
