package io.upcycle.monitor.audit;

import java.util.zip.CRC32;

/**
 * The one description of an Upcycle log file ({@code upcycle export}, read by {@code upcycle audit}):
 * a self-describing copy of topic records that replays offline, without a broker or a registry.
 *
 * <pre>
 * file    := MAGIC (8 bytes "UPCYLOG\n") VERSION (1 byte, = 1) frame* END-frame
 * frame   := SCHEMA | SECTION | RECORD               (all integers big-endian)
 * SCHEMA  := 'S' id:int32 json:bytes                 a writer schema under its registry id
 * SECTION := 'P' topic:utf8 partition:int32          the RECORDs that follow belong to this topic partition
 * RECORD  := 'R' offset:int64 timestamp:int64 key:bytes value:bytes crc:int32
 * END     := 'E' records:int64 schemas:int32         counts, so a truncated file is detected
 * bytes   := length:int32 (-1 for null) then that many bytes;  utf8 := bytes, UTF-8 text
 * </pre>
 *
 * Values are kept exactly as on the wire (Confluent framing: magic 0, 4-byte schema id, Avro body).
 * Each partition is one SECTION, its records in offset order; a schema precedes the first record
 * that uses it. The CRC-32 covers a record's offset, timestamp, key and value.
 */
public final class LogFormat {
    static final byte[] MAGIC = {'U', 'P', 'C', 'Y', 'L', 'O', 'G', '\n'};
    static final int VERSION = 1;
    static final byte SCHEMA = 'S';
    static final byte SECTION = 'P';
    static final byte RECORD = 'R';
    static final byte END = 'E';

    private LogFormat() {
    }

    static int crc(long offset, long timestamp, byte[] key, byte[] value) {
        CRC32 crc = new CRC32();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (offset >>> shift));
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (timestamp >>> shift));
        }
        crc.update(key == null ? -1 : key.length);
        if (key != null) {
            crc.update(key);
        }
        crc.update(value == null ? -1 : value.length);
        if (value != null) {
            crc.update(value);
        }
        return (int) crc.getValue();
    }
}
