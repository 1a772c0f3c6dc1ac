package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.cli.study.StudyOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    private static Args args(String... words) {
        return Args.parse(List.of(words), Set.of("help", "quick", "keep"));
    }

    @Test
    void shouldRunTheFullStudyIntoTheDefaultFolderWithoutOptions() {
        StudyOptions options = DemoCommand.options(args());
        assertThat(options).isEqualTo(StudyOptions.full(StudyOptions.DEFAULT_OUT));
    }

    @Test
    void shouldShrinkTheStudyWithQuickAndTakeOverrides() {
        // when
        StudyOptions options = DemoCommand.options(args("--quick", "--out", "/tmp/r", "--seeds", "4,5", "--methods", "ties"));
        // then
        assertThat(options.steps()).isEqualTo(1024);
        assertThat(options.lengths()).containsExactly(32L, 256L, 1024L);
        assertThat(options.seeds()).containsExactly(4L, 5L);
        assertThat(options.methods()).containsExactly("ties");
        assertThat(options.out()).isEqualTo(Path.of("/tmp/r"));
    }

    @Test
    void shouldDeriveTheLengthsFromAnotherBudget() {
        assertThat(DemoCommand.options(args("--steps", "256")).lengths()).containsExactly(32L, 64L, 128L, 256L);
    }

    @Test
    void shouldRefuseUnknownOptionsAndBadValuesNamingThem() {
        assertThatThrownBy(() -> DemoCommand.options(args("--budget", "5"))).hasMessageContaining("budget");
        assertThatThrownBy(() -> DemoCommand.options(args("--enforce", "maybe"))).hasMessageContaining("--enforce");
        assertThatThrownBy(() -> DemoCommand.options(args("--steps", "many"))).hasMessageContaining("not a number");
    }
}
