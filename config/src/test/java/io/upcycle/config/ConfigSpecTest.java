package io.upcycle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ConfigSpecTest {
    static final ConfigSpec SPEC = ConfigSpec.of("tool", new ConfigDef()
                    .define("batch.size", ConfigDef.Type.INT, 64, Range.atLeast(1), Importance.HIGH, "Examples per step.")
                    .define("mode", ConfigDef.Type.STRING, "fast", ConfigDef.ValidString.in("fast", "slow"), Importance.LOW, "How.")
                    .define("labels", ConfigDef.Type.LIST, "", Validators.eachOf(p -> p.contains("="), "key=value"), Importance.LOW, "Labels."))
            .withPrefix("policy.", "parameters of the policy");

    @Test
    void shouldTypeValuesTakeDefaultsAndPassPrefixedKeysThrough() {
        // when
        ConfigValues values = SPEC.parse(Map.of("batch.size", " 32 ", "policy.min.steps", "3"));

        // then
        assertThat(values.getInt("batch.size")).isEqualTo(32);
        assertThat(values.getString("mode")).isEqualTo("fast");
        assertThat(values.given("batch.size")).isTrue();
        assertThat(values.given("mode")).isFalse();
        assertThat(values.withPrefix("policy.")).containsExactly(Map.entry("min.steps", "3"));
    }

    @Test
    void shouldRefuseUnknownKeysAndBadValuesInOneFormatNamingTheKey() {
        assertThatThrownBy(() -> SPEC.parse(Map.of("batch.sise", "3"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value 3 for configuration batch.sise: not a key of the tool;"
                        + " did you mean 'batch.size'? Known keys: batch.size, labels, mode, policy.*");
        assertThatThrownBy(() -> SPEC.parse(Map.of("batch.size", "0"))).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration batch.size: Value must be at least 1");
        assertThatThrownBy(() -> SPEC.parse(Map.of("labels", "a=1,b"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration labels: 'b' is not key=value");
        assertThat(SPEC.parse(Map.of("labels", "a=1, b=2")).getList("labels")).containsExactly("a=1", "b=2");
    }

    @Test
    void shouldHideSecretsInDefaultsHelpTablesAndErrors() {
        // given a key of type PASSWORD with a default, and a secret-looking key nobody declared
        ConfigSpec spec = ConfigSpec.of("tool", new ConfigDef()
                .define("registry.token", ConfigDef.Type.PASSWORD, "default-Secret-1", Importance.LOW, "A token."));

        // then the default shows as hidden in help and in the README table
        ConfigDef.ConfigKey token = spec.definition().configKeys().get("registry.token");
        assertThat(ConfigSpec.defaultText(token)).isEqualTo("[hidden]");
        assertThat(spec.markdown()).doesNotContain("default-Secret-1");
        // and an unknown key whose name says it holds a secret is named, its value not
        assertThatThrownBy(() -> spec.parse(Map.of("registry.pasword", "typo-Secret-2"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("registry.pasword").hasMessageNotContaining("typo-Secret-2");
        assertThatThrownBy(() -> spec.parse(Map.of("sasl.jaas.confg", "jaas-Secret-3"))).isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("jaas-Secret-3");
        // and a mistyped ordinary key still shows its value, which helps
        assertThatThrownBy(() -> spec.parse(Map.of("batch.sise", "3"))).hasMessageContaining("Invalid value 3 ");
    }

    @Test
    void shouldMapEnvironmentVariablesByOneRuleAndLeaveOthersAlone() {
        // when
        Map<String, String> values = SPEC.fromEnvironment(Map.of("UPCYCLE_BATCH_SIZE", "8", "UPCYCLE_POLICY_MIN_STEPS", "2",
                "UPCYCLE_HOME", "/x", "BATCH_SIZE", "9", "UPCYCLE_MODE", " "));

        // then
        assertThat(ConfigSpec.environmentName("schema.registry.url")).isEqualTo("UPCYCLE_SCHEMA_REGISTRY_URL");
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of("batch.size", "8", "policy.min.steps", "2"));
    }

    @Test
    void shouldDocumentEveryKeyWithItsTypeDefaultAndRule() {
        assertThat(SPEC.markdown()).contains("| `batch.size` | int | 64 | [1,...] | Examples per step. |")
                .contains("| `mode` | string | fast | [fast, slow] | How. |")
                .contains("| `labels` | list | empty | each key=value | Labels. |")
                .contains("| `policy.*` | | | | parameters of the policy |");
    }

    @Test
    void shouldTakeFileThenEnvironmentThenSetThenFlagAsKebabCaseOptions(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("tool.properties");
        Files.writeString(file, "batch.size=1\nmode=slow\nlabels=from=file\n");
        Tool tool = new Tool();
        tool.withEnvironment(Map.of("UPCYCLE_BATCH_SIZE", "2", "UPCYCLE_LABELS", "from=env"));

        // when
        ConfigValues values = ConfiguredCommand.parse(tool, "--config", file.toString(), "--set", "labels=from=set",
                "--set", "policy.patience=4", "--batch-size", "5");

        // then
        assertThat(values.getInt("batch.size")).isEqualTo(5);
        assertThat(values.getString("mode")).isEqualTo("slow");
        assertThat(values.getList("labels")).containsExactly("from=set");
        assertThat(values.withPrefix("policy.")).containsEntry("patience", "4");
        CommandLine line = ConfiguredCommand.commandLine(new Tool());
        assertThat(line.getUsageMessage()).contains("--batch-size=N").contains("(default: 64; env").contains("UPCYCLE_BATCH_SIZE")
                .contains("--set=KEY=VALUE").contains("policy.*: parameters of the policy");
        assertThatThrownBy(() -> ConfiguredCommand.parse(new Tool(), "--batch-sise", "5"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("'--batch-sise'");
        assertThatThrownBy(() -> ConfiguredCommand.parse(new Tool(), "--set", "nope=1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("configuration nope: not a key of the tool");
    }

    @Test
    void shouldExitTwoWithOneLineForABadValueThroughTheStandardHandler() {
        // given
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine line = CommandLines.standard(ConfiguredCommand.commandLine(new Tool()));
        line.setErr(new java.io.PrintWriter(err));

        // when
        int code = line.execute("--batch-size", "0");

        // then
        assertThat(code).isEqualTo(CommandLines.USAGE);
        assertThat(err.toString().trim()).isEqualTo("tool: Invalid value 0 for configuration batch.size: Value must be at least 1");
    }

    @Command(name = "tool")
    static final class Tool extends ConfiguredCommand {
        @Override
        protected ConfigSpec config() {
            return SPEC;
        }

        @Override
        protected int run(ConfigValues values) {
            return 0;
        }
    }
}
