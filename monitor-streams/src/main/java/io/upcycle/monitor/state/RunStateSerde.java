package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A small hand-written binary format for {@link RunState}: a format byte, the fixed fields, the
 * checkpoints and the signal window, then the loss array copied in bulk (little-endian throughout). Far cheaper than Avro
 * for a float array that is rewritten on every step.
 *
 * <p>Format 2 (written now) is format 1 followed by the per-example signals (EL2N, flags,
 * forgetting counts: 7 bytes per example), the difficulty cut-offs, the evaluation losses and the
 * evidence series. Format 3 (written now) is format 2 followed by the run's missing steps
 * (the highest step seen, then {@link StepGaps}: count of gaps, steps missing, the kept ranges). Format 4 (written now)
 * is format 3 without the four per-example arrays, which live in the {@link ExampleStore}, and with
 * where they stand there (snapshot generation, patches, patch bytes) at the end: read alone it
 * gives the arrays of a new run, and {@link ExampleStore#load} fills them. Format 5 (written now) is
 * format 4 with, instead of the patches and their bytes, what a replay of the input since the
 * snapshot needs: the offsets of the first and last losses record applied since, how many records
 * and losses, after how many of them the difficulty was fixed, and the offsets of the run's records
 * skipped in between. Formats 1 to 4 (states stored by older builds) still read, with a snapshot of
 * the arrays due at the next save: formats 1 to 3 hold the arrays whole (format 1 runs get empty
 * signals, formats 1 and 2 no gaps), format 4 names its patches in the example store.
 */
public final class RunStateSerde implements Serde<RunState>, Serializer<RunState>, Deserializer<RunState> {
    static final byte FORMAT = 5;
    static final byte FORMAT_4 = 4;
    static final byte FORMAT_1 = 1;
    static final byte FORMAT_2 = 2;
    static final byte FORMAT_3 = 3;

    @Override
    public byte[] serialize(String topic, RunState s) {
        if (s == null) {
            return null;
        }
        byte[] runId = utf8(s.runId());
        byte[] task = utf8(s.task());
        List<CheckpointRef> checkpoints = s.checkpoints();
        List<byte[]> texts = new ArrayList<>();
        int textBytes = 0;
        for (CheckpointRef c : checkpoints) {
            texts.add(utf8(c.uri()));
            texts.add(utf8(c.sha256()));
            textBytes += 8 + texts.get(texts.size() - 2).length + texts.get(texts.size() - 1).length;
        }
        int size = 1 + 8 + runId.length + task.length + 4 * 2 + 8 * 3 + 4 + 1 + 8 * 2 + 4
                + checkpoints.size() * (8 + 8) + textBytes
                + 4 + 4 + s.signals().size() * 16 + extrasSize(s);
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT);
        putBytes(out, runId);
        putBytes(out, task);
        out.putInt(s.exampleCount()).putInt(s.classCount());
        out.putLong(s.lastStep).putLong(s.stepsObserved).putLong(s.lossesObserved).putInt(s.examplesSeen);
        out.put((byte) (s.ended ? 1 : 0)).putLong(s.finalStep).putLong(s.decidedAtStep);
        out.putInt(checkpoints.size());
        for (int i = 0; i < checkpoints.size(); i++) {
            out.putLong(checkpoints.get(i).step()).putLong(checkpoints.get(i).timestamp());
            putBytes(out, texts.get(2 * i));
            putBytes(out, texts.get(2 * i + 1));
        }
        putHistory(out, s.signals());
        putExtras(out, s);
        return out.array();
    }

    private static int extrasSize(RunState s) {
        int size = 8 + 4 + 4 + 8 + 8 + 4 + 16 * s.evaluations().size() + 4
                + 8 + 4 + 8 + 4 + 16 * s.gaps().ranges().size() + 8 + 8 * 5 + 4 + 8 * s.skipped.length + 4;
        for (Map.Entry<String, String> label : s.labels().entrySet()) {
            size += 4 + utf8(label.getKey()).length + 4 + utf8(label.getValue()).length;
        }
        for (Map.Entry<String, SignalHistory> e : s.evidence().entrySet()) {
            size += 4 + utf8(e.getKey()).length + 4 + 4 + 16 * e.getValue().size();
        }
        return size;
    }

    private static void putExtras(ByteBuffer out, RunState s) {
        ExampleSignals x = s.examplesEntry();
        out.putLong(x.forgettingEvents).putFloat(x.hardCutoff).putFloat(x.easyCutoff).putLong(x.difficultyStep);
        out.putLong(s.lastMetricsStep);
        long[] evalSteps = s.evaluations().steps();
        float[] evalLosses = s.evaluations().losses();
        float[] evalRates = s.evaluations().learningRates();
        out.putInt(evalSteps.length);
        for (int i = 0; i < evalSteps.length; i++) {
            out.putLong(evalSteps[i]).putFloat(evalLosses[i]).putFloat(evalRates[i]);
        }
        out.putInt(s.evidence().size());
        for (Map.Entry<String, SignalHistory> e : s.evidence().entrySet()) {
            putBytes(out, utf8(e.getKey()));
            putHistory(out, e.getValue());
        }
        out.putLong(s.highestStep);
        StepGaps gaps = s.gaps();
        out.putInt(gaps.gaps()).putLong(gaps.missing()).putInt(gaps.ranges().size());
        for (StepGaps.Range range : gaps.ranges()) {
            out.putLong(range.first()).putLong(range.last());
        }
        out.putLong(s.examplesGeneration).putLong(s.replayFrom).putLong(s.replayTo).putLong(s.pendingRecords)
                .putLong(s.pendingLosses).putLong(s.fixedAfter).putInt(s.skipped.length);
        for (long offset : s.skipped) {
            out.putLong(offset);
        }
        out.putInt(s.labels().size()); // a trailing section: entries of this format written before it have none
        s.labels().forEach((key, value) -> {
            putBytes(out, utf8(key));
            putBytes(out, utf8(value));
        });
    }

    private static StepGaps getGaps(ByteBuffer in) {
        int gaps = in.getInt();
        long missing = in.getLong();
        int count = in.getInt();
        List<StepGaps.Range> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranges.add(new StepGaps.Range(in.getLong(), in.getLong()));
        }
        return StepGaps.of(ranges, missing, gaps);
    }

    private static void putHistory(ByteBuffer out, SignalHistory history) {
        out.putInt(history.capacity()).putInt(history.size());
        for (int i = 0; i < history.size(); i++) {
            out.putLong(history.stepAt(i)).putDouble(history.valueAt(i));
        }
    }

    private static SignalHistory getHistory(ByteBuffer in) {
        SignalHistory history = new SignalHistory(in.getInt());
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            history.add(in.getLong(), in.getDouble());
        }
        return history;
    }

    /** The per-example signals: with their arrays (formats 2 and 3) or without, as a new run's (format 4). */
    private static ExampleSignals getExamples(ByteBuffer in, int n, boolean withArrays) {
        ExampleSignals x;
        if (withArrays) {
            x = new ExampleSignals(new float[n], new byte[n], new short[n]);
            in.asFloatBuffer().get(x.el2n);
            in.position(in.position() + 4 * n);
            in.get(x.flags);
            in.asShortBuffer().get(x.forgets);
            in.position(in.position() + 2 * n);
        } else {
            x = ExampleSignals.unallocated();
        }
        x.forgettingEvents = in.getLong();
        x.hardCutoff = in.getFloat();
        x.easyCutoff = in.getFloat();
        x.difficultyStep = in.getLong();
        return x;
    }

    private static void getEvaluationsAndEvidence(ByteBuffer in, RunState s) {
        s.lastMetricsStep = in.getLong();
        int evalCount = in.getInt();
        for (int i = 0; i < evalCount; i++) {
            s.evaluations().add(in.getLong(), in.getFloat(), in.getFloat());
        }
        int series = in.getInt();
        for (int i = 0; i < series; i++) {
            String name = getString(in);
            s.putEvidence(name, getHistory(in));
        }
    }

    @Override
    public RunState deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte format = in.get();
            if (format < FORMAT_1 || format > FORMAT) {
                throw new SerializationException("run state in format " + format + ", this build reads formats "
                        + FORMAT_1 + " to " + FORMAT);
            }
            String runId = getString(in);
            String task = getString(in);
            int exampleCount = in.getInt();
            int classCount = in.getInt();
            long lastStep = in.getLong();
            long stepsObserved = in.getLong();
            long lossesObserved = in.getLong();
            int examplesSeen = in.getInt();
            boolean ended = in.get() != 0;
            long finalStep = in.getLong();
            long decidedAtStep = in.getLong();
            int checkpointCount = in.getInt();
            CheckpointRef[] checkpoints = new CheckpointRef[checkpointCount];
            for (int i = 0; i < checkpointCount; i++) {
                long step = in.getLong();
                long timestamp = in.getLong();
                checkpoints[i] = new CheckpointRef(step, getString(in), getString(in), timestamp);
            }
            SignalHistory signals = getHistory(in);
            float[] losses = null; // the current format's arrays are allocated when first needed (RunState#arrays)
            boolean wholeArrays = format < FORMAT_4;
            if (wholeArrays) {
                losses = new float[exampleCount];
                in.asFloatBuffer().get(losses);
                in.position(in.position() + 4 * exampleCount);
            }
            ExampleSignals examples = format == FORMAT_1 ? ExampleSignals.empty(exampleCount)
                    : getExamples(in, exampleCount, wholeArrays);
            RunState s = new RunState(runId, task, exampleCount, classCount, losses, signals, examples);
            if (format != FORMAT_1) {
                getEvaluationsAndEvidence(in, s);
            }
            if (format >= FORMAT_3) {
                s.highestStep = in.getLong();
                s.gaps = getGaps(in);
            } else {
                s.highestStep = lastStep;
            }
            if (format >= FORMAT_4) {
                s.examplesGeneration = in.getLong();
                if (format == FORMAT_4) {
                    s.examplesPatches = in.getInt();
                    in.getLong(); // the patches' bytes
                    s.snapshotDue();
                } else {
                    s.replayFrom = in.getLong();
                    s.replayTo = in.getLong();
                    s.pendingRecords = in.getLong();
                    s.pendingLosses = in.getLong();
                    s.fixedAfter = in.getLong();
                    s.skipped = new long[in.getInt()];
                    for (int i = 0; i < s.skipped.length; i++) {
                        s.skipped[i] = in.getLong();
                    }
                }
                if (in.hasRemaining()) {
                    int count = in.getInt();
                    Map<String, String> labels = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        labels.put(getString(in), getString(in));
                    }
                    s.labels(labels);
                }
            } else {
                s.snapshotDue();
            }
            s.lastStep = lastStep;
            s.stepsObserved = stepsObserved;
            s.lossesObserved = lossesObserved;
            s.examplesSeen = examplesSeen;
            s.ended = ended;
            s.finalStep = finalStep;
            s.decidedAtStep = decidedAtStep;
            for (CheckpointRef c : checkpoints) {
                s.addCheckpoint(c);
            }
            return s;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot read a run state of " + bytes.length + " bytes: " + e, e);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public Serializer<RunState> serializer() {
        return this;
    }

    @Override
    public Deserializer<RunState> deserializer() {
        return this;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
