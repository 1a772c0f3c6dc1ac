package io.upcycle.monitor.audit;

import io.upcycle.schemas.serde.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Reads a log file in {@link LogFormat}, streaming. {@link #scan} checks a whole file (magic, every
 * record's CRC, that each framed value's schema is in the file, the end counts) and indexes its
 * sections; {@link #open} then reads one section's records in offset order, so that a replay can
 * merge the partitions by timestamp holding one record of each in memory.
 */
public final class LogReader implements AutoCloseable {
    private final FrameInput in;

    private LogReader(FrameInput in) {
        this.in = in;
    }

    /** Checks and indexes {@code file}; throws {@link AuditLogException} naming the first bad record. */
    public static LogIndex scan(Path file) {
        Map<Integer, Schema> schemas = new LinkedHashMap<>();
        Set<Integer> unknown = new HashSet<>();
        List<LogIndex.Section> sections = new ArrayList<>();
        try (FrameInput in = new FrameInput(file, 0)) {
            if (!Arrays.equals(in.readMagic(LogFormat.MAGIC.length), LogFormat.MAGIC) || in.readByte() != LogFormat.VERSION) {
                throw new AuditLogException(file + " is not an Upcycle log file (version " + LogFormat.VERSION + ")");
            }
            long sectionStart = -1;
            long sectionRecords = 0;
            while (true) {
                long frameStart = in.position();
                int tag = in.readByte();
                if (tag == LogFormat.SCHEMA) {
                    int id = in.readInt();
                    byte[] json = in.readBytes();
                    if (json == null) {
                        unknown.add(id);
                    } else {
                        schemas.put(id, parse(id, json, in));
                    }
                } else if (tag == LogFormat.SECTION || tag == LogFormat.END) {
                    if (sectionStart >= 0) {
                        sections.add(new LogIndex.Section(in.topic(), in.partition(), sectionStart, sectionRecords));
                    }
                    if (tag == LogFormat.END) {
                        return end(in, schemas, unknown, sections);
                    }
                    in.readSectionHeader();
                    sectionStart = in.position();
                    sectionRecords = 0;
                } else if (tag == LogFormat.RECORD && sectionStart >= 0) {
                    requireSchema(in.readRecord(), schemas, unknown);
                    sectionRecords++;
                } else {
                    throw in.damaged("unexpected frame '" + (char) tag + "' at byte " + frameStart);
                }
            }
        } catch (IOException e) {
            throw new AuditLogException("cannot read the log file " + file + ": " + e, e);
        }
    }

    /** Reads the records of {@code section}, in offset order. */
    public static LogReader open(Path file, LogIndex.Section section) {
        try {
            FrameInput in = new FrameInput(file, section.position());
            in.inSection(section.topic(), section.partition());
            return new LogReader(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file, e);
        }
    }

    int partitionOf() {
        return in.partition();
    }

    /** The next record of this reader's section, or null at its end. */
    public LoggedRecord next() {
        return advance(FrameInput::readRecord);
    }

    /** The next record of this reader's section whose key is {@code key} (null: records without a key), or null at its end. */
    LoggedRecord next(byte[] key) {
        return advance(frames -> frames.readRecordIfKey(key));
    }

    /** Reads one record frame: the record, or null to skip it. */
    private interface RecordRead {
        LoggedRecord read(FrameInput in) throws IOException;
    }

    /** Skips schema frames and the records {@code read} skips; null at the section's end. */
    private LoggedRecord advance(RecordRead read) {
        try {
            while (true) {
                int tag = in.readByte();
                if (tag == LogFormat.SCHEMA) {
                    in.readInt();
                    in.readBytes();
                } else if (tag == LogFormat.RECORD) {
                    LoggedRecord record = read.read(in);
                    if (record != null) {
                        return record;
                    }
                } else {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new AuditLogException("cannot read " + in.topic() + "[" + in.partition() + "] of " + in.file() + ": " + e, e);
        }
    }

    private static Schema parse(int id, byte[] json, FrameInput in) {
        try {
            return new Schema.Parser().parse(new String(json, StandardCharsets.UTF_8));
        } catch (SchemaParseException e) {
            throw in.damaged("schema id " + id + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private static void requireSchema(LoggedRecord record, Map<Integer, Schema> schemas, Set<Integer> unknown) {
        byte[] value = record.value();
        if (value == null || value.length < WireFormat.HEADER_BYTES || value[0] != WireFormat.MAGIC) {
            return; // not framed: the live monitor dead-lettered it, and so will the replay
        }
        int id = WireFormat.schemaId(record.topic(), value);
        if (!schemas.containsKey(id) && !unknown.contains(id)) {
            throw new AuditLogException("record " + record.describe() + " uses schema id " + id
                    + ", which the file does not hold: the file is incomplete or was edited");
        }
    }

    private static LogIndex end(FrameInput in, Map<Integer, Schema> schemas, Set<Integer> unknown,
                                List<LogIndex.Section> sections) throws IOException {
        long records = in.readLong();
        int schemaCount = in.readInt();
        long seen = sections.stream().mapToLong(LogIndex.Section::records).sum();
        if (records != seen || schemaCount != schemas.size() + unknown.size()) {
            throw new AuditLogException(in.file() + " says it holds " + records + " records and " + schemaCount
                    + " schemas but holds " + seen + " and " + (schemas.size() + unknown.size()) + ": it was edited");
        }
        return new LogIndex(Map.copyOf(schemas), Set.copyOf(unknown), List.copyOf(sections), records);
    }

    @Override
    public void close() {
        in.close();
    }
}
