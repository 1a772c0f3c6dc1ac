package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/** TaskScore gained the optional {@code difficulty}; both old and new readers must read both writers. */
class TaskScoreEvolutionTest {
    /** TaskScore as it was before {@code difficulty} was added. */
    private static final Schema BEFORE = new Schema.Parser().parse("""
            {"type": "record", "name": "TaskScore", "namespace": "io.upcycle.schemas.avro", "fields": [
             {"name": "task", "type": "string"}, {"name": "mergedAccuracy", "type": "double"},
             {"name": "expertAccuracy", "type": "double"}, {"name": "normalizedAccuracy", "type": "double"},
             {"name": "examples", "type": "int"}]}""");

    @Test
    void shouldStayCompatibleBothWaysWhenDifficultyIsAdded() {
        // given
        Schema now = TaskScore.getClassSchema();

        // when
        var newReadsOld = SchemaCompatibility.checkReaderWriterCompatibility(now, BEFORE).getType();
        var oldReadsNew = SchemaCompatibility.checkReaderWriterCompatibility(BEFORE, now).getType();

        // then
        assertThat(newReadsOld).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(oldReadsNew).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(now.getField("difficulty").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    }

    @Test
    void shouldDefaultDifficultyToNullWhenNotSet() {
        // given / when
        TaskScore score = TaskScore.newBuilder().setTask("t").setMergedAccuracy(0.5).setExpertAccuracy(1.0)
                .setNormalizedAccuracy(0.5).setExamples(4).build();

        // then
        assertThat(score.getDifficulty()).isNull();
        assertThat(MergeCompleted.getClassSchema().getField("scores")).isNotNull();
    }
}
