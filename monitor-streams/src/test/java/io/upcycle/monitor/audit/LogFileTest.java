package io.upcycle.monitor.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    static final Schema SCHEMA = StopDecision.getClassSchema();
    static final Schema OTHER = SchemaBuilder.record("Other").fields().requiredLong("x").endRecord();

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryRecordAndSchemaWhenAFileIsWrittenAndScanned() throws IOException {
        // given two sections, a record with null key and value, and schemas under non-consecutive ids
        Path file = dir.resolve("log");
        List<LoggedRecord> a = List.of(record(Topics.RUNS, 0, 0, 100, "r1", framed(7, 1, 2, 3)),
                record(Topics.RUNS, 0, 5, 90, null, null));
        List<LoggedRecord> b = List.of(record(Topics.EXAMPLE_LOSSES, 1, 42, 101, "r2", framed(1234, 9)));
        try (LogWriter w = new LogWriter(file)) {
            w.schema(7, SCHEMA);
            w.section(Topics.RUNS, 0);
            for (LoggedRecord r : a) {
                w.record(r);
            }
            w.section(Topics.EXAMPLE_LOSSES, 1);
            w.schema(1234, OTHER);
            w.unknownSchema(55);
            w.record(b.get(0));
        }

        // when
        LogIndex index = LogReader.scan(file);

        // then the schemas, sections and records come back exactly
        assertThat(index.schemas()).containsOnlyKeys(7, 1234).containsEntry(7, SCHEMA).containsEntry(1234, OTHER);
        assertThat(index.unknownSchemaIds()).containsExactly(55);
        assertThat(index.records()).isEqualTo(3);
        assertThat(index.sections()).extracting(LogIndex.Section::topic, LogIndex.Section::partition, LogIndex.Section::records)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Topics.RUNS, 0, 2L),
                        org.assertj.core.groups.Tuple.tuple(Topics.EXAMPLE_LOSSES, 1, 1L));
        assertSame(readAll(file, index.sections().get(0)), a);
        assertSame(readAll(file, index.sections().get(1)), b);
    }

    @Test
    void shouldNameTheRecordWhenItsBytesWereTampered() throws IOException {
        // given a file whose second record's value had one byte changed
        Path file = dir.resolve("log");
        try (LogWriter w = new LogWriter(file)) {
            w.schema(7, SCHEMA);
            w.section(Topics.EXAMPLE_LOSSES, 3);
            w.record(record(Topics.EXAMPLE_LOSSES, 3, 10, 1, "run-a", framed(7, 1, 1, 1)));
            w.record(record(Topics.EXAMPLE_LOSSES, 3, 11, 2, "run-b", framed(7, 5, 5, 5, 5, 5)));
        }
        byte[] bytes = Files.readAllBytes(file);
        int at = lastIndexOf(bytes, new byte[] {5, 5, 5, 5, 5});
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at + 2);
            raf.write(6);
        }

        // when / then
        assertThatThrownBy(() -> LogReader.scan(file)).isInstanceOf(AuditLogException.class)
                .hasMessageContaining("upcycle.example-losses[3]@11 (key run-b)").hasMessageContaining("checksum");
    }

    @Test
    void shouldNameTheRecordWhenItsSchemaIdIsNotInTheFile() throws IOException {
        // given a record framed with schema id 99, which the file does not hold
        Path file = dir.resolve("log");
        try (LogWriter w = new LogWriter(file)) {
            w.schema(7, SCHEMA);
            w.section(Topics.CHECKPOINTS, 0);
            w.record(record(Topics.CHECKPOINTS, 0, 3, 1, "run-c", framed(99, 1)));
        }

        // when / then
        assertThatThrownBy(() -> LogReader.scan(file)).isInstanceOf(AuditLogException.class)
                .hasMessageContaining("upcycle.checkpoints[0]@3 (key run-c)").hasMessageContaining("schema id 99");
    }

    @Test
    void shouldRefuseATruncatedFile() throws IOException {
        // given a file cut in the middle of its last record
        Path file = dir.resolve("log");
        try (LogWriter w = new LogWriter(file)) {
            w.section(Topics.RUNS, 0);
            w.record(record(Topics.RUNS, 0, 0, 1, "run-d", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));

        // when / then
        assertThatThrownBy(() -> LogReader.scan(file)).isInstanceOf(AuditLogException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldRefuseAFileThatIsNotALog() throws IOException {
        // given
        Path file = dir.resolve("log");
        Files.writeString(file, "hello, world", StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> LogReader.scan(file)).isInstanceOf(AuditLogException.class).hasMessageContaining("not an Upcycle log");
    }

    static LoggedRecord record(String topic, int partition, long offset, long timestamp, String key, byte[] value) {
        return new LoggedRecord(topic, partition, offset, timestamp, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** A Confluent-framed value with schema {@code id} and {@code body}. */
    static byte[] framed(int id, int... body) {
        byte[] bytes = new byte[5 + body.length];
        bytes[1] = (byte) (id >>> 24);
        bytes[2] = (byte) (id >>> 16);
        bytes[3] = (byte) (id >>> 8);
        bytes[4] = (byte) id;
        for (int i = 0; i < body.length; i++) {
            bytes[5 + i] = (byte) body[i];
        }
        return bytes;
    }

    private static List<LoggedRecord> readAll(Path file, LogIndex.Section section) {
        List<LoggedRecord> out = new ArrayList<>();
        try (LogReader reader = LogReader.open(file, section)) {
            for (LoggedRecord r = reader.next(); r != null; r = reader.next()) {
                out.add(r);
            }
        }
        return out;
    }

    private static void assertSame(List<LoggedRecord> actual, List<LoggedRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            LoggedRecord a = actual.get(i);
            LoggedRecord e = expected.get(i);
            assertThat(a.topic()).isEqualTo(e.topic());
            assertThat(a.partition()).isEqualTo(e.partition());
            assertThat(a.offset()).isEqualTo(e.offset());
            assertThat(a.timestamp()).isEqualTo(e.timestamp());
            assertThat(a.key()).isEqualTo(e.key());
            assertThat(a.value()).isEqualTo(e.value());
        }
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
