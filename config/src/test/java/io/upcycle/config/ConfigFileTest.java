package io.upcycle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldFlattenAYamlFileToTheKeysOfAPropertiesFile() throws IOException {
        // given the same configuration as YAML (nested keys, a list, typed scalars) and as properties
        Path yaml = Files.writeString(dir.resolve("merger.yaml"), """
                group.id: compose
                plan:
                  id: compose-plan
                  runs: [compose-fortune, compose-grain]
                  density: 0.2
                  min:
                    runs: 2
                wait.ms: 900000
                publish: true
                """);
        Path properties = Files.writeString(dir.resolve("merger.properties"), """
                group.id=compose
                plan.id=compose-plan
                plan.runs=compose-fortune,compose-grain
                plan.density=0.2
                plan.min.runs=2
                wait.ms=900000
                publish=true
                """);

        // when
        Map<String, String> fromYaml = ConfigFile.load(yaml);

        // then both give the same keys and values, in the same (sorted) order
        assertThat(fromYaml).containsExactlyEntriesOf(ConfigFile.load(properties));
        assertThat(fromYaml).containsEntry("plan.runs", "compose-fortune,compose-grain").containsEntry("plan.min.runs", "2");
    }

    @Test
    void shouldRefuseAYamlKeyGivenTwiceNamingTheFileAndTheKey() throws IOException {
        // given plan.id as a nested key and again as a dotted one
        Path yaml = Files.writeString(dir.resolve("twice.yml"), "plan:\n  id: a\nplan.id: b\n");

        // when / then
        assertThatThrownBy(() -> ConfigFile.load(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice.yml").hasMessageContaining("'plan.id' twice");
    }

    @Test
    void shouldRefuseYamlThatIsNotAMappingOfScalarsAndLists() throws IOException {
        // given a list at the top, a list of mappings, and a repeated mapping key
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        Path nested = Files.writeString(dir.resolve("nested.yaml"), "plan:\n  runs:\n    - id: a\n");
        Path duplicate = Files.writeString(dir.resolve("duplicate.yaml"), "plan.id: a\nplan.id: b\n");

        // when / then
        assertThatThrownBy(() -> ConfigFile.load(list)).hasMessageContaining("list.yaml").hasMessageContaining("mapping");
        assertThatThrownBy(() -> ConfigFile.load(nested)).hasMessageContaining("nested.yaml")
                .hasMessageContaining("'plan.runs' holds a nested structure");
        assertThatThrownBy(() -> ConfigFile.load(duplicate)).hasMessageContaining("duplicate.yaml")
                .hasMessageContaining("plan.id");
    }
}
