package io.upcycle.monitor.curve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A small binary format for {@link CurvePoint}: a format byte, the step, both losses, then the
 * signals as (name, value) pairs. A point is a few dozen bytes.
 */
public final class CurvePointSerde implements Serde<CurvePoint>, Serializer<CurvePoint>, Deserializer<CurvePoint> {
    static final byte FORMAT = 1;

    @Override
    public byte[] serialize(String topic, CurvePoint p) {
        if (p == null) {
            return null;
        }
        List<byte[]> names = new ArrayList<>();
        int size = 1 + 8 + 4 + 4 + 4;
        for (String name : p.signals().keySet()) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            names.add(n);
            size += 4 + n.length + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT).putLong(p.step()).putFloat(p.trainLoss())
                .putFloat(p.fullPassLoss()).putInt(names.size());
        int i = 0;
        for (Double value : p.signals().values()) {
            out.putInt(names.get(i).length).put(names.get(i++)).putDouble(value);
        }
        return out.array();
    }

    @Override
    public CurvePoint deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != FORMAT) {
                throw new SerializationException("curve point in format " + format + ", this build reads format " + FORMAT);
            }
            long step = in.getLong();
            float trainLoss = in.getFloat();
            float fullPassLoss = in.getFloat();
            int count = in.getInt();
            Map<String, Double> signals = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[in.getInt()];
                in.get(name);
                signals.put(new String(name, StandardCharsets.UTF_8), in.getDouble());
            }
            return new CurvePoint(step, trainLoss, fullPassLoss, signals);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot read a curve point of " + bytes.length + " bytes: " + e, e);
        }
    }

    @Override
    public Serializer<CurvePoint> serializer() {
        return this;
    }

    @Override
    public Deserializer<CurvePoint> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
