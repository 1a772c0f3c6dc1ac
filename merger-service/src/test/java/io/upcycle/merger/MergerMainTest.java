package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class MergerMainTest {

    @Test
    void shouldAcceptTheThreeArgumentStylesOfTheOtherServices() {
        // given
        String[] args = {"--merger.plan.id", "p1", "--merger.plan.runs=a,b", "merger.seed=7"};

        // when
        var values = MergerMain.values(args, new Properties());

        // then
        assertThat(values).containsEntry("merger.plan.id", "p1").containsEntry("merger.plan.runs", "a,b")
                .containsEntry("merger.seed", "7");
    }

    @Test
    void shouldRefuseAKeyWithoutValueNamingTheKnownKeys() {
        assertThatThrownBy(() -> MergerMain.values(new String[] {"--merger.plan.id"}, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--merger.plan.id").hasMessageContaining("merger.plan.runs");
    }

    @Test
    void shouldListThePlanKeysAndTheMergePlansTopicInTheHelp() {
        // when
        String usage = MergerMain.usage();

        // then
        assertThat(usage).contains("--merger.plan.methods", "--merger.plan.min.runs", "--merger.plan.timeout.ms",
                "upcycle.merge-plans", "plan.runs.merged");
    }
}
