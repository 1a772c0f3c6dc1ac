package io.upcycle.monitor.audit;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The primitive reads of {@link LogFormat}, from a byte position of a file: big-endian integers,
 * length-prefixed bytes, section headers and CRC-checked records. Keeps the byte position (for the
 * index) and the section being read (for error messages); a short read is reported as truncation.
 */
final class FrameInput implements AutoCloseable {
    private final Path file;
    private final DataInputStream in;
    private long position;
    private String topic;
    private int partition;
    private long recordNumber;

    FrameInput(Path file, long start) throws IOException {
        this.file = file;
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(start);
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        this.position = start;
    }

    Path file() {
        return file;
    }

    long position() {
        return position;
    }

    String topic() {
        return topic;
    }

    int partition() {
        return partition;
    }

    /** Continues in the section of {@code topic} and {@code partition}, e.g. after seeking to its start. */
    void inSection(String topic, int partition) {
        this.topic = topic;
        this.partition = partition;
        this.recordNumber = 0;
    }

    void readSectionHeader() throws IOException {
        inSection(new String(readBytes(), StandardCharsets.UTF_8), readInt());
    }

    LoggedRecord readRecord() throws IOException {
        recordNumber++;
        long offset = readLong();
        long timestamp = readLong();
        byte[] key = readBytes();
        byte[] value = readBytes();
        int crc = readInt();
        LoggedRecord record = new LoggedRecord(topic, partition, offset, timestamp, key, value);
        if (crc != LogFormat.crc(offset, timestamp, key, value)) {
            throw new AuditLogException("record " + record.describe() + " of " + file
                    + " fails its checksum: the file is damaged or was edited");
        }
        return record;
    }

    /**
     * The next record if its key is {@code key}, else null after skipping its value unread (a
     * replay reads each run's records with its own reader; the file was checked whole before).
     */
    LoggedRecord readRecordIfKey(byte[] key) throws IOException {
        recordNumber++;
        long offset = readLong();
        long timestamp = readLong();
        byte[] recordKey = readBytes();
        if (!java.util.Arrays.equals(recordKey, key)) {
            skip(readInt());
            skip(4);
            return null;
        }
        byte[] value = readBytes();
        int crc = readInt();
        LoggedRecord record = new LoggedRecord(topic, partition, offset, timestamp, recordKey, value);
        if (crc != LogFormat.crc(offset, timestamp, recordKey, value)) {
            throw new AuditLogException("record " + record.describe() + " of " + file
                    + " fails its checksum: the file is damaged or was edited");
        }
        return record;
    }

    private void skip(int length) throws IOException {
        if (length < 0) {
            return;
        }
        int skipped = in.skipBytes(length);
        if (skipped < length) {
            throw damaged("it ends inside a frame (truncated?)");
        }
        position += length;
    }

    AuditLogException damaged(String what) {
        return new AuditLogException(file + " is damaged after record " + recordNumber + " of " + topic + "[" + partition + "]: " + what);
    }

    byte[] readMagic(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        position += bytes.length;
        return bytes;
    }

    int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw damaged("it ends without its end frame (truncated?)");
        }
        position++;
        return b;
    }

    int readInt() throws IOException {
        try {
            int value = in.readInt();
            position += 4;
            return value;
        } catch (EOFException e) {
            throw damaged("it ends inside a frame (truncated?)");
        }
    }

    long readLong() throws IOException {
        try {
            long value = in.readLong();
            position += 8;
            return value;
        } catch (EOFException e) {
            throw damaged("it ends inside a frame (truncated?)");
        }
    }

    /** Length-prefixed bytes; null for length -1. */
    byte[] readBytes() throws IOException {
        int length = readInt();
        if (length < -1) {
            throw damaged("negative length " + length);
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw damaged("it ends inside a frame (truncated?)");
        }
        position += length;
        return bytes;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
