package io.upcycle.merger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.file.FileMergeArgs;
import io.upcycle.merger.file.MergeFilesCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileMergeArgsTest {

    @Test
    void shouldParseOptionsAndPositionalExpertFiles() {
        // given
        String[] args = {"--method", "ties", "--base=b.safetensors", "a.safetensors", "--out", "m.safetensors",
                "--lambda", "0.4", "--density=0.3", "--seed", "9", "c.safetensors",
                "--trim-scope", "global"};

        // when
        FileMergeArgs parsed = MergeFilesCommand.parse(args);

        // then
        assertThat(parsed.method()).isEqualTo("ties");
        assertThat(parsed.base()).isEqualTo(Path.of("b.safetensors"));
        assertThat(parsed.out()).isEqualTo(Path.of("m.safetensors"));
        assertThat(parsed.experts()).containsExactly(Path.of("a.safetensors"), Path.of("c.safetensors"));
        assertThat(parsed.lambda()).isEqualTo(0.4);
        assertThat(parsed.density()).hasValue(0.3);
        assertThat(parsed.seed()).isEqualTo(9L);
        assertThat(parsed.trimScope()).isEqualTo(io.upcycle.merger.method.TrimScope.GLOBAL);
    }

    @Test
    void shouldNameWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "ties", "e.safetensors"}))
                .hasMessageContaining("missing: --base, --out");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "ties", "--base", "b", "--out", "m"}))
                .hasMessageContaining("no expert files");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "ties", "--base", "b", "--out", "m", "--lamda", "1", "e"}))
                .isInstanceOf(picocli.CommandLine.UnmatchedArgumentException.class).hasMessageContaining("'--lamda'");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "ties", "--base", "b", "--out", "m", "--seed", "x", "e"}))
                .hasMessageContaining("--seed");
        assertThatThrownBy(() -> MergeFilesCommand.parse(new String[] {"--method", "ties", "--base", "b", "--out", "m", "--trim-scope", "all", "e"}))
                .hasMessage("option --trim-scope must be tensor or global, was 'all'");
    }
}
