package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.cli.study.StudyOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
    private static StudyOptions options(String... words) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(words);
        return demo.options();
    }

    @Test
    void shouldRunTheFullStudyIntoTheDefaultFolderWithoutOptions() {
        StudyOptions options = options();
        assertThat(options).isEqualTo(StudyOptions.full(StudyOptions.DEFAULT_OUT));
    }

    @Test
    void shouldShrinkTheStudyWithQuickAndTakeOverrides() {
        // when
        StudyOptions options = options("--quick", "--out", "/tmp/r", "--seeds", "4,5", "--methods", "ties");
        // then
        assertThat(options.steps()).isEqualTo(1024);
        assertThat(options.lengths()).containsExactly(32L, 256L, 1024L);
        assertThat(options.seeds()).containsExactly(4L, 5L);
        assertThat(options.methods()).containsExactly("ties");
        assertThat(options.out()).isEqualTo(Path.of("/tmp/r"));
    }

    @Test
    void shouldDeriveTheLengthsFromAnotherBudget() {
        assertThat(options("--steps", "256").lengths()).containsExactly(32L, 64L, 128L, 256L);
    }

    @Test
    void shouldRefuseUnknownOptionsAndBadValuesNamingThem() {
        assertThatThrownBy(() -> options("--budget", "5")).isInstanceOf(CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("'--budget'");
        assertThatThrownBy(() -> options("--enforce", "maybe")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--enforce");
        assertThatThrownBy(() -> options("--steps", "many")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'many' is not a long");
        assertThatThrownBy(() -> options("--heads", "old")).hasMessageContaining("--heads must be new or probe");
    }
}
