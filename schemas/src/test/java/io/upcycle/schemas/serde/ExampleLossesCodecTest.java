package io.upcycle.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.ExampleLosses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class ExampleLossesCodecTest {
    private final ExampleLossesCodec codec = new ExampleLossesCodec();

    @Test
    void shouldBeTheCodecOfTheCurrentExampleLossesSchema() {
        // (an evolved ExampleLosses schema must come with an updated codec, or this fails)
        assertThat(DirectCodecs.forSchema(ExampleLosses.getClassSchema())).isPresent();
    }

    @Test
    void shouldWriteTheBytesAvroWritesWhenGivenBoxedOrPrimitiveLists() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            // given a record with boxed lists and the same record with primitive-backed lists
            ExampleLosses boxed = record(seed, (int) (seed * 37 % 300), false);
            ExampleLosses primitive = record(seed, (int) (seed * 37 % 300), true);
            // when / then both encode to Avro's own bytes
            byte[] avro = encode((value, out) -> new SpecificDatumWriter<>(ExampleLosses.class).write(value, out), boxed);
            assertThat(encode(codec::write, boxed)).isEqualTo(avro);
            assertThat(encode(codec::write, primitive)).isEqualTo(avro);
        }
    }

    @Test
    void shouldReadWhatAvroReadsWhenArraysComeInOneOrManyBlocks() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            // given a record encoded by Avro in one block per array, and in blocks of 64 bytes (negative counts with byte sizes)
            ExampleLosses expected = record(seed, (int) (seed * 53 % 400), false);
            byte[] single = encode((value, out) -> new SpecificDatumWriter<>(ExampleLosses.class).write(value, out), expected);
            ByteArrayOutputStream blocked = new ByteArrayOutputStream();
            Encoder blocking = new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(blocked, null);
            new SpecificDatumWriter<>(ExampleLosses.class).write(expected, blocking);
            blocking.flush();
            // when / then the codec reads both as Avro does, into primitive-backed lists
            for (byte[] bytes : List.of(single, blocked.toByteArray())) {
                ExampleLosses read = codec.read(DecoderFactory.get().binaryDecoder(bytes, null));
                ExampleLosses avro = new SpecificDatumReader<>(ExampleLosses.class).read(null,
                        DecoderFactory.get().binaryDecoder(bytes, null));
                assertThat(read).isEqualTo(avro).isEqualTo(expected);
                assertThat(read.getLosses()).isInstanceOf(PrimitivesArrays.FloatArray.class);
                assertThat(read.getExampleIds()).isInstanceOf(PrimitivesArrays.IntArray.class);
            }
        }
    }

    private interface Write {
        void write(ExampleLosses value, Encoder out) throws IOException;
    }

    private static byte[] encode(Write write, ExampleLosses value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        write.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static ExampleLosses record(long seed, int n, boolean primitive) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> ids = primitive ? new PrimitivesArrays.IntArray(n, ExampleLosses.getClassSchema().getField("exampleIds").schema())
                : new ArrayList<>();
        List<Float> losses = primitive ? new PrimitivesArrays.FloatArray(n, ExampleLosses.getClassSchema().getField("losses").schema())
                : new ArrayList<>();
        List<Float> el2n = primitive ? new PrimitivesArrays.FloatArray(n, ExampleLosses.getClassSchema().getField("el2n").schema())
                : new ArrayList<>();
        List<Boolean> correct = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(random.nextInt(1 << 20));
            losses.add((float) (random.nextDouble() * 5));
            el2n.add((float) random.nextDouble(1.42));
            correct.add(random.nextBoolean());
        }
        return ExampleLosses.newBuilder().setRunId("run-" + seed).setStep(seed * 1_000_003L).setExampleIds(ids)
                .setLosses(losses).setCorrect(seed % 5 == 0 ? List.of() : correct).setEl2n(seed % 7 == 0 ? List.of() : el2n)
                .setFullPass(seed % 2 == 0).build();
    }
}
