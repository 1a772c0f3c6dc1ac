package io.upcycle.monitor.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 */
public final class RunStateSerde implements Serde<RunState>, Serializer<RunState>, Deserializer<RunState> {
    static final byte FORMAT = 1;

    @Override
    public byte[] serialize(String topic, RunState s) {
        if (s == null) {
            return null;
        }
        byte[] runId = utf8(s.runId());
        byte[] task = utf8(s.task());
        List<CheckpointRef> checkpoints = s.checkpoints();
        List<byte[]> texts = new ArrayList<>();
        for (CheckpointRef c : checkpoints) {
            texts.add(utf8(c.uri()));
            texts.add(utf8(c.sha256()));
        }
        int size = 1 + 8 + runId.length + task.length + 4 * 2 + 8 * 3 + 4 + 1 + 8 * 2 + 4
                + checkpoints.size() * (8 + 8) + texts.stream().mapToInt(t -> 4 + t.length).sum()
                + 4 + 4 + s.signals().size() * 16 + 4 * s.exampleCount();
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
        long[] steps = s.signals().steps();
        double[] values = s.signals().values();
        out.putInt(s.signals().capacity()).putInt(steps.length);
        for (int i = 0; i < steps.length; i++) {
            out.putLong(steps[i]).putDouble(values[i]);
        }
        out.asFloatBuffer().put(s.latestLosses());
        return out.array();
    }

    @Override
    public RunState deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte format = in.get();
            if (format != FORMAT) {
                throw new SerializationException("run state in format " + format + ", this build reads format " + FORMAT);
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
            SignalHistory signals = new SignalHistory(in.getInt());
            int signalCount = in.getInt();
            for (int i = 0; i < signalCount; i++) {
                signals.add(in.getLong(), in.getDouble());
            }
            float[] losses = new float[exampleCount];
            in.asFloatBuffer().get(losses);
            RunState s = new RunState(runId, task, exampleCount, classCount, losses, signals);
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
