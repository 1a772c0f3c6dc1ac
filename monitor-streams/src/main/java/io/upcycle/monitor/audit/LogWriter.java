package io.upcycle.monitor.audit;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Writes a log file in {@link LogFormat}, streaming: nothing but the ids of the schemas written is
 * held in memory. Call {@link #section} before the records of each partition; {@link #close}
 * writes the end frame.
 */
public final class LogWriter implements AutoCloseable {
    private final DataOutputStream out;
    private final Set<Integer> schemaIds = new HashSet<>();
    private String topic;
    private int partition;
    private long records;

    public LogWriter(Path file) {
        try {
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            out.write(LogFormat.MAGIC);
            out.writeByte(LogFormat.VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + file, e);
        }
    }

    /** Whether the schema with {@code id} is in the file already. */
    public boolean hasSchema(int id) {
        return schemaIds.contains(id);
    }

    /** Writes a writer schema under its registry id (once; later calls with the same id are ignored). */
    public void schema(int id, Schema schema) throws IOException {
        if (schemaIds.add(id)) {
            out.writeByte(LogFormat.SCHEMA);
            out.writeInt(id);
            writeBytes(schema.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Records that the registry did not know schema {@code id}: records using it were undecodable on the topics too. */
    public void unknownSchema(int id) throws IOException {
        if (schemaIds.add(id)) {
            out.writeByte(LogFormat.SCHEMA);
            out.writeInt(id);
            writeBytes(null);
        }
    }

    /** Starts the section of one topic partition. */
    public void section(String topic, int partition) throws IOException {
        this.topic = topic;
        this.partition = partition;
        out.writeByte(LogFormat.SECTION);
        writeBytes(topic.getBytes(StandardCharsets.UTF_8));
        out.writeInt(partition);
    }

    /** Writes one record into the current section, which must be the record's partition. */
    public void record(LoggedRecord r) throws IOException {
        if (!Objects.equals(topic, r.topic()) || partition != r.partition()) {
            throw new IllegalStateException("record " + r.describe() + " written outside its section " + topic + "[" + partition + "]");
        }
        out.writeByte(LogFormat.RECORD);
        out.writeLong(r.offset());
        out.writeLong(r.timestamp());
        writeBytes(r.key());
        writeBytes(r.value());
        out.writeInt(LogFormat.crc(r.offset(), r.timestamp(), r.key(), r.value()));
        records++;
    }

    public long records() {
        return records;
    }

    private void writeBytes(byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        out.writeByte(LogFormat.END);
        out.writeLong(records);
        out.writeInt(schemaIds.size());
        out.close();
    }
}
