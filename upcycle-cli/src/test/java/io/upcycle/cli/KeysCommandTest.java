package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.config.CommandLines;
import io.upcycle.config.ConfigSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void shouldFindTheReadmeTablesInSyncWithTheDefinitions() throws Exception {
        // given
        String readme = Files.readString(README, StandardCharsets.UTF_8);

        // then: every key of every service is documented, as generated
        assertThat(KeysCommand.withTables(readme)).as("README's key tables drifted: run ./upcycle keys --readme README.md")
                .isEqualTo(readme);
        for (ConfigSpec spec : KeysCommand.SPECS) {
            for (ConfigDef.ConfigKey key : spec.keys()) {
                assertThat(readme).as(spec.service() + " " + key.name).contains("| `" + key.name + "` |");
            }
        }
    }

    @Test
    void shouldRewriteOnlyTheTablesBetweenTheMarkers(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("README.md");
        Files.writeString(file, "intro\n<!-- keys:trainer -->\nOLD-TABLE\n<!-- /keys:trainer -->\nmiddle\n<!-- keys:monitor -->\n"
                + "<!-- /keys:monitor -->\n<!-- keys:merger -->\nSTALE-TABLE\n<!-- /keys:merger -->\nend\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        int code = CommandLines.call(new CommandLine(new KeysCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8))),
                "--readme", file.toString());

        // then
        String text = Files.readString(file);
        assertThat(code).isZero();
        assertThat(text).startsWith("intro\n<!-- keys:trainer -->\n| key | type |").contains("| `batch.size` | int | 64 |")
                .contains("\nmiddle\n").contains("| `policy.*` |").contains("| `plan.runs` | list |").endsWith("end\n")
                .doesNotContain("OLD-TABLE").doesNotContain("STALE-TABLE");
        assertThatThrownBy(() -> KeysCommand.withTables("no markers")).hasMessageContaining("<!-- keys:trainer -->");
    }
}
