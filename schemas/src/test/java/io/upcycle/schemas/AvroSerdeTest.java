package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Topics topics = Topics.connect(registry);

    @Test
    @SuppressWarnings("unchecked")
    void shouldRoundTripEveryEventTypeInConfluentFraming() {
        for (Topic<String, ? extends SpecificRecord> topic : topics.all()) {
            // given
            SpecificRecord sample = SampleEvents.byTopic().get(topic.name());
            Serde<SpecificRecord> serde = (Serde<SpecificRecord>) topic.valueSerde();

            // when
            byte[] bytes = serde.serializer().serialize(topic.name(), sample);
            SpecificRecord back = serde.deserializer().deserialize(topic.name(), bytes);

            // then
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(bytes[0]).as("magic byte of %s", topic.name()).isZero();
            assertThat(registry.schemaById(id)).isEqualTo(sample.getSchema());
            assertThat(back).as(topic.name()).isEqualTo(sample);
        }
    }

    @Test
    void shouldGiveEverySubjectTheTransitiveCompatibilityLevel() {
        // given
        topics.runs().valueSerde().serializer().serialize(Topics.RUNS, SampleEvents.runStarted());

        // then
        assertThat(registry.compatibility(Topics.RUNS + "-value")).contains(Topics.COMPATIBILITY);
    }

    @Test
    void shouldRefuseBytesWithoutTheMagicByte() {
        // given
        byte[] garbage = {7, 0, 0, 0, 1, 2, 3};

        // when / then
        assertThatThrownBy(() -> topics.stepMetrics().valueSerde().deserializer().deserialize(Topics.STEP_METRICS, garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(Topics.STEP_METRICS)
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldRefuseATruncatedBody() {
        // given
        byte[] bytes = topics.stepMetrics().valueSerde().serializer().serialize(Topics.STEP_METRICS, SampleEvents.stepMetrics());
        byte[] truncated = Arrays.copyOf(bytes, 8);

        // when / then
        assertThatThrownBy(() -> topics.stepMetrics().valueSerde().deserializer().deserialize(Topics.STEP_METRICS, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("StepMetrics");
    }

    @Test
    void shouldReadAnOlderWriterSchemaIntoTheCurrentClass() {
        // given: a writer that knew StepMetrics before the optional eval fields existed
        Schema old = SchemaBuilder.record("StepMetrics").namespace("io.upcycle.schemas.avro").fields()
                .requiredString("runId").requiredLong("step").requiredInt("epoch").requiredFloat("trainLoss")
                .requiredFloat("learningRate").endRecord();
        org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(old);
        record.put("runId", "run-9");
        record.put("step", 5L);
        record.put("epoch", 1);
        record.put("trainLoss", 0.5f);
        record.put("learningRate", 0.001f);
        int id = registry.register("legacy", old);
        byte[] bytes = GenericFraming.frame(id, old, record);

        // when
        StepMetrics read = topics.stepMetrics().valueSerde().deserializer().deserialize(Topics.STEP_METRICS, bytes);

        // then
        assertThat(read.getRunId()).isEqualTo("run-9");
        assertThat(read.getStep()).isEqualTo(5L);
        assertThat(read.getEvalLoss()).isNull();
    }

    @Test
    void shouldRefuseAnIncompatibleChangeUnderFullTransitive() {
        // given
        String subject = Topics.RUNS + "-value";
        topics.runs().valueSerde().serializer().serialize(Topics.RUNS, SampleEvents.runStarted());
        Schema withoutDefault = SchemaBuilder.record("RunEvent").namespace("io.upcycle.schemas.avro").fields()
                .name("event").type(RunEvent.getClassSchema().getField("event").schema()).noDefault()
                .requiredString("newRequiredField").endRecord();

        // when / then
        assertThat(registry.isCompatible(subject, withoutDefault)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, withoutDefault))
                .hasMessageContaining("incompatible");
    }
}
