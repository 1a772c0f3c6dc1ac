package io.upcycle.monitor.curve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the {@code run-curve} store: the run id's UTF-8 bytes, a zero byte, then the step as 8
 * big-endian bytes. Byte order is step order within a run, so one range scan returns a run's
 * curve in step order, and one write per step keeps the cost of a step constant however long the
 * run is (a single growing value per run would be rewritten whole on every step).
 */
public final class CurveKeys {
    private CurveKeys() {
    }

    /** The key of {@code runId}'s point at {@code step} (steps are non-negative). */
    public static Bytes of(String runId, long step) {
        byte[] id = runId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(id.length + 9).put(id).put((byte) 0).putLong(step).array());
    }

    /** The first possible key of {@code runId}'s points. */
    public static Bytes first(String runId) {
        return of(runId, 0);
    }

    /** The last possible key of {@code runId}'s points. */
    public static Bytes last(String runId) {
        return of(runId, Long.MAX_VALUE);
    }

    /** The step a key holds. */
    public static long step(Bytes key) {
        byte[] b = key.get();
        return ByteBuffer.wrap(b, b.length - 8, 8).getLong();
    }
}
