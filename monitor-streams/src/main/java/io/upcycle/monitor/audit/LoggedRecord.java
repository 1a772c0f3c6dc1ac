package io.upcycle.monitor.audit;

import java.nio.charset.StandardCharsets;

/**
 * One record of a log file: where it was on the broker, its event timestamp, and its key and value
 * bytes exactly as on the wire.
 */
public record LoggedRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    /** The key as a run id (keys of Upcycle's topics are UTF-8 run ids), or null. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** {@code topic[partition]@offset (key K)}: how errors name a record. */
    public String describe() {
        return topic + "[" + partition + "]@" + offset + " (key " + keyText() + ")";
    }
}
