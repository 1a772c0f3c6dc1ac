package io.upcycle.bench.monitor;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A multi-run stream of pre-encoded records, built before the clock starts so that producing it
 * costs only the sends: each run's {@code RunStarted}, then steps {@code 1..steps} of every run
 * interleaved (step s of run 0, of run 1, ...), stamped {@code t0 + s} as the trainer's stepped
 * clock does. Each losses record carries {@code batch} example ids with a loss, an EL2N and a
 * correctness flag, like the trainer's. The ids are drawn as a trainer draws its batches: each run
 * walks its own shuffled order of the examples, a new shuffle per epoch, so consecutive records
 * touch different examples. (Reusing a few batches of ids, as this stream once did, kept a large
 * run's changed examples to those few batches, which no training run does.) The values repeat from
 * {@link #TEMPLATES} payloads per run. Losses lie in [0.2, 2.2): nothing is ever learned, so no run
 * is decided and every record is assessed in full.
 */
public final class SyntheticStream {
    /** Distinct payloads per run; each record is one of them with its own step. */
    private static final int TEMPLATES = 16;

    final List<ProducerRecord<byte[], byte[]>> starts = new ArrayList<>();
    final List<ProducerRecord<byte[], byte[]>> losses = new ArrayList<>();
    final List<String> runIds = new ArrayList<>();
    final long steps;

    SyntheticStream(Topics topics, String prefix, int runs, int examples, int batch, long steps, long t0, long seed) {
        this.steps = steps;
        Random random = new Random(seed);
        List<byte[][]> templates = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String run = String.format(Locale.ROOT, "%s-r%d", prefix, r);
            runIds.add(run);
            RunEvent started = started(run, examples, seed);
            starts.add(new ProducerRecord<>(Topics.RUNS, null, t0, key(run),
                    topics.runs().valueSerde().serializer().serialize(Topics.RUNS, started)));
            byte[][] payloads = new byte[TEMPLATES][];
            for (int i = 0; i < TEMPLATES; i++) {
                payloads[i] = topics.exampleLosses().valueSerde().serializer()
                        .serialize(Topics.EXAMPLE_LOSSES, batch(run, batch, examples, random));
            }
            templates.add(payloads);
        }
        List<EpochOrder> orders = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            orders.add(new EpochOrder(examples, new Random(seed + 1 + r)));
        }
        int[] ids = new int[batch];
        for (long s = 1; s <= steps; s++) {
            for (int r = 0; r < runs; r++) {
                String run = runIds.get(r);
                orders.get(r).next(ids);
                byte[] value = withStepAndIds(templates.get(r)[(int) (s % TEMPLATES)], run, s, ids);
                losses.add(new ProducerRecord<>(Topics.EXAMPLE_LOSSES, null, t0 + s, key(run), value));
            }
        }
    }

    /** The {@code RunStarted} of a bench run of {@code examples} examples and 8 classes. */
    static RunEvent started(String run, int examples, long seed) {
        return RunEvent.newBuilder().setEvent(RunStarted.newBuilder().setRunId(run).setTask("bench")
                .setBaseModelId("bench").setBaseModelSha256(sha256(0)).setMode(FineTuneMode.FULL).setSeed(seed)
                .setDatasetFingerprint(sha256(1)).setExampleCount(examples).setClassCount(8).build()).build();
    }

    /** A run's examples in a shuffled order, reshuffled at the end of every epoch, as a trainer samples its batches. */
    static final class EpochOrder {
        private final int[] order;
        private final Random random;
        private int next;

        EpochOrder(int examples, Random random) {
            this.order = new int[examples];
            this.random = random;
            for (int i = 0; i < examples; i++) {
                order[i] = i;
            }
            shuffle();
        }

        /** Fills {@code ids} with the next examples of the order. */
        void next(int[] ids) {
            for (int i = 0; i < ids.length; i++) {
                if (next == order.length) {
                    shuffle();
                }
                ids[i] = order[next++];
            }
        }

        private void shuffle() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            next = 0;
        }
    }

    private static ExampleLosses batch(String run, int batch, int examples, Random random) {
        List<Integer> ids = new ArrayList<>(batch);
        List<Float> losses = new ArrayList<>(batch);
        List<Float> el2n = new ArrayList<>(batch);
        List<Boolean> correct = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
            ids.add(random.nextInt(examples));
            losses.add(0.2f + 2f * random.nextFloat());
            el2n.add(1.4f * random.nextFloat());
            correct.add(random.nextBoolean());
        }
        return ExampleLosses.newBuilder().setRunId(run).setStep(0).setExampleIds(ids).setLosses(losses)
                .setEl2n(el2n).setCorrect(correct).build();
    }

    /**
     * The encoded record with its step replaced. Layout: 5 bytes of Confluent header, the run id
     * (zig-zag varint length, then its bytes), then the step as a zig-zag varint.
     */
    public static byte[] withStep(byte[] record, String run, long step) {
        int idBytes = run.getBytes(StandardCharsets.UTF_8).length;
        int stepAt = 5 + zigzag(idBytes).length + idBytes;
        int oldLength = varintLength(record, stepAt);
        byte[] step64 = zigzag(step);
        byte[] out = new byte[record.length - oldLength + step64.length];
        System.arraycopy(record, 0, out, 0, stepAt);
        System.arraycopy(step64, 0, out, stepAt, step64.length);
        System.arraycopy(record, stepAt + oldLength, out, stepAt + step64.length, record.length - stepAt - oldLength);
        return out;
    }

    /**
     * The encoded losses record with its step and its example ids replaced ({@code ids} as long as
     * the record's). After the step come the ids as an Avro array: a block count, the ids as zig-zag
     * varints, and a 0 that ends the array.
     */
    public static byte[] withStepAndIds(byte[] record, String run, long step, int[] ids) {
        int idBytes = run.getBytes(StandardCharsets.UTF_8).length;
        int stepAt = 5 + zigzag(idBytes).length + idBytes;
        int idsAt = stepAt + varintLength(record, stepAt);
        int at = idsAt;
        int count = (int) unzigzag(record, at);
        if (count != ids.length) {
            throw new IllegalArgumentException("a record of " + count + " ids, " + ids.length + " given");
        }
        at += varintLength(record, at);
        for (int i = 0; i < count; i++) {
            at += varintLength(record, at);
        }
        if (record[at] != 0) {
            throw new IllegalArgumentException("the record's ids are written in more than one block");
        }
        int tailAt = at + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(record.length + 8);
        out.write(record, 0, stepAt);
        out.writeBytes(zigzag(step));
        out.writeBytes(zigzag(count));
        for (int id : ids) {
            out.writeBytes(zigzag(id));
        }
        out.write(0);
        out.write(record, tailAt, record.length - tailAt);
        return out.toByteArray();
    }

    private static long unzigzag(byte[] bytes, int at) {
        long v = 0;
        int shift = 0;
        byte b;
        do {
            b = bytes[at++];
            v |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (v >>> 1) ^ -(v & 1);
    }

    long lossRecordBytes() {
        return losses.stream().mapToLong(r -> r.key().length + r.value().length).sum();
    }

    private static byte[] key(String run) {
        return run.getBytes(StandardCharsets.UTF_8);
    }

    private static int varintLength(byte[] bytes, int at) {
        int n = 1;
        while ((bytes[at + n - 1] & 0x80) != 0) {
            n++;
        }
        return n;
    }

    private static byte[] zigzag(long value) {
        long v = (value << 1) ^ (value >> 63);
        byte[] buffer = new byte[10];
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            buffer[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[n++] = (byte) v;
        return Arrays.copyOf(buffer, n);
    }

    static String sha256(long n) {
        return String.format(Locale.ROOT, "%064x", n);
    }
}
