package io.upcycle.cli.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyOptionsTest {
    private static final Path OUT = Path.of("out");

    @Test
    void shouldRunTheFullStudyByDefault() {
        // when
        StudyOptions full = StudyOptions.full(OUT);
        // then: the setting of EVIDENCE.md
        assertThat(full.tasks()).containsExactly("spam", "grain", "fortune-topic-6", "fortune-lang-8");
        assertThat(full.modes()).containsExactly("FULL", "LORA");
        assertThat(full.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(full.steps()).isEqualTo(8192);
        assertThat(full.learningRate()).isEqualTo(3e-3f);
        assertThat(full.lengths()).containsExactly(32L, 64L, 128L, 256L, 512L, 1024L, 2048L, 4096L, 8192L);
        assertThat(GroupMerges.points(full)).hasSize(11).startsWith(StudyPoint.auto(), StudyPoint.rule("plateau"));
        assertThat(full.methods()).containsExactly("task_arithmetic", "ties", "ties:global", "dare_ties");
        assertThat(full.heads()).isEqualTo("new");
    }

    @Test
    void shouldAlwaysMergeAtTheFullBudgetEvenWhenItIsNoPowerOfTwo() {
        // when
        StudyOptions options = new StudyOptions(StudyOptions.TASKS, List.of("full"), List.of(1L), 1000, 1e-3f, 8, List.of(32L, 1000L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT);
        // then
        assertThat(options.modes()).containsExactly("FULL");
        assertThat(StudyOptions.powersOfTwo(32, 1000)).containsExactly(32L, 64L, 128L, 256L, 512L, 1000L);
        assertThat(GroupMerges.points(options)).extracting(StudyPoint::length).containsExactly(0L, 0L, 32L, 1000L);
    }

    @Test
    void shouldRefuseLengthsThatNoCheckpointCovers() {
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(100L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--lengths").hasMessageContaining("100");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(2048L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT)).hasMessageContaining("2048");
    }

    @Test
    void shouldNameTheOptionOfEveryOtherBadValue() {
        assertThatThrownBy(() -> new StudyOptions(List.of("spam"), List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT)).hasMessageContaining("--tasks");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("QLORA"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT)).hasMessageContaining("--modes");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L, 1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT)).hasMessageContaining("--seeds");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                List.of(), StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 0.97, 0.1, OUT)).hasMessageContaining("--methods");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, StudyOptions.RULES, StudyOptions.HEADS_NEW, false, false, 1.5, 0.1, OUT)).hasMessageContaining("--target-fraction");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, StudyOptions.RULES, "frozen", false, false, 0.97, 0.1, OUT)).hasMessageContaining("--heads");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                StudyOptions.METHODS, List.of("patience"), "new", false, false, 0.97, 0.1, OUT))
                .hasMessageContaining("--rules: unknown stop policy 'patience'");
        assertThatThrownBy(() -> new StudyOptions(StudyOptions.TASKS, List.of("FULL"), List.of(1L), 1024, 1e-3f, 8, List.of(32L),
                List.of("ties:layer"), StudyOptions.RULES, "new", false, false, 0.97, 0.1, OUT))
                .hasMessageContaining("--methods: 'ties:layer'");
    }
}
