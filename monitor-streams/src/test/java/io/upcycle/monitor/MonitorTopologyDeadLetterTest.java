package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.RunIds;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyDeadLetterTest {
    static final String RUN = "run-1";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void shouldDeadLetterUndecodableBytesWithTheirOriginAndCarryOn() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a started run with two good steps (offsets 0 and 1 of the losses topic)
            h.runs.pipeInput(RUN, Events.started(RUN, 4), T0);
            h.losses.pipeInput(RUN, Events.losses(RUN, 1, new int[] {0, 1}, new float[] {0.5f, 0.6f}), T0 + 1);
            h.losses.pipeInput(RUN, Events.losses(RUN, 2, new int[] {2, 3}, new float[] {0.7f, 0.8f}), T0 + 2);
            byte[] key = RUN.getBytes(StandardCharsets.UTF_8);
            byte[] garbage = {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xfe};

            // when a record that is not an ExampleLosses arrives at offset 2, then a good step 3
            h.raw(Topics.EXAMPLE_LOSSES).pipeInput(key, garbage, T0 + 3);
            h.losses.pipeInput(RUN, Events.losses(RUN, 3, new int[] {0}, new float[] {0.01f}), T0 + 4);

            // then the bytes are in the dead-letter topic with topic, partition, offset, time, key and error
            TestRecord<byte[], DeadLetter> out = h.deadLetters.readRecord();
            DeadLetter letter = out.value();
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLE_LOSSES);
            assertThat(letter.getSourcePartition()).isZero();
            assertThat(letter.getSourceOffset()).isEqualTo(2);
            assertThat(letter.getSourceTimestamp()).isEqualTo(T0 + 3);
            assertThat(bytes(letter.getKey())).isEqualTo(key);
            assertThat(bytes(letter.getValue())).isEqualTo(garbage);
            assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZATION);
            assertThat(letter.getErrorClass()).isEqualTo(SerializationException.class.getName());
            assertThat(letter.getApplication()).isEqualTo("upcycle-monitor");
            assertThat(out.key()).isEqualTo(key);
            assertThat(out.timestamp()).isEqualTo(T0 + 3);
            // and the run carries on past it
            assertThat(h.state(RUN).step()).isEqualTo(3);
            assertThat(h.state(RUN).latestLosses()[0]).isEqualTo(0.01f);
            assertThat(h.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldDeadLetterRecordsWithoutKeyWithoutValueOrWithAnUnknownSchemaOnEveryInput() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given
            byte[] key = RUN.getBytes(StandardCharsets.UTF_8);
            byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(4242).putInt(7).array();
            byte[] notUtf8Key = {(byte) 0xc3, (byte) 0x28};
            byte[] value = h.topics.runs().valueSerde().serializer().serialize(Topics.RUNS, Events.started(RUN, 4));

            // when
            h.raw(Topics.RUNS).pipeInput(null, value, T0);
            h.raw(Topics.RUNS).pipeInput(notUtf8Key, value, T0 + 1);
            h.raw(Topics.CHECKPOINTS).pipeInput(key, null, T0 + 2);
            h.raw(Topics.CHECKPOINTS).pipeInput(key, unknownSchema, T0 + 3);

            // then each one is dead-lettered at the deserialization stage, with its own origin
            assertThat(h.deadLetters.readValuesToList())
                    .extracting(DeadLetter::getSourceTopic, DeadLetter::getSourceOffset, DeadLetter::getStage)
                    .containsExactly(
                            tuple(Topics.RUNS, 0L, DeadLetters.DESERIALIZATION),
                            tuple(Topics.RUNS, 1L, DeadLetters.DESERIALIZATION),
                            tuple(Topics.CHECKPOINTS, 0L, DeadLetters.DESERIALIZATION),
                            tuple(Topics.CHECKPOINTS, 1L, DeadLetters.DESERIALIZATION));
            assertThat(h.runIds()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAKeyLongerThanARunIdMayBeAndAcceptOneAtTheLimit() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given keys of 200 (the limit), 201 and 100,000 characters
            String atLimit = "r".repeat(RunIds.MAX_LENGTH);
            String beyond = "r".repeat(RunIds.MAX_LENGTH + 1);
            String huge = "r".repeat(100_000);

            // when
            h.runs.pipeInput(atLimit, Events.started(atLimit, 4), T0);
            h.runs.pipeInput(beyond, Events.started(beyond, 4), T0 + 1);
            h.runs.pipeInput(huge, Events.started(huge, 4), T0 + 2);

            // then the two longer ones are dead-lettered as undecodable keys, the run at the limit is tracked
            assertThat(h.deadLetters.readValuesToList()).extracting(DeadLetter::getStage, DeadLetter::getErrorMessage)
                    .containsExactly(
                            tuple(DeadLetters.DESERIALIZATION, "record key is not a run id: the run id has 201 characters, more than 200"),
                            tuple(DeadLetters.DESERIALIZATION, "record key has 100000 bytes, more than a run id of 200 characters can take"));
            assertThat(h.runIds()).containsExactly(atLimit);
        }
    }

    @Test
    void shouldKeepTheRawBytesOfAnInvalidEventInItsDeadLetter() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given losses for a run that never started, written by the ordinary serializer
            byte[] value = h.topics.exampleLosses().valueSerde().serializer()
                    .serialize(Topics.EXAMPLE_LOSSES, Events.losses("ghost", 1, new int[] {0}, new float[] {1f}));
            TestInputTopic<byte[], byte[]> raw = h.raw(Topics.EXAMPLE_LOSSES);

            // when
            raw.pipeInput(new StringSerializer().serialize(Topics.EXAMPLE_LOSSES, "ghost"), value, T0);

            // then
            DeadLetter letter = h.deadLetters.readValue();
            assertThat(letter.getStage()).isEqualTo(DeadLetters.VALIDATION);
            assertThat(letter.getErrorMessage()).contains("unknown run 'ghost'");
            assertThat(bytes(letter.getValue())).isEqualTo(value);
            assertThat(bytes(letter.getKey())).isEqualTo("ghost".getBytes(StandardCharsets.UTF_8));
        }
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
