package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.tasks.ArffFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArffFileTest {
    private static final String HEADER = "@relation 'r'\n\n@attribute Text string\n@attribute class-att {0,1}\n\n@data\n\n";

    @Test
    void shouldUndoWekaEscapesWhenReadingQuotedStrings() {
        // given
        String arff = HEADER + "'Asia\\'s exporters, \\\"worried\\\"\\nsecond line\\ttab \\\\ 50\\%',1\n"
                + "% a comment\n"
                + "\"double, quoted\",0\n";

        // when
        List<List<String>> rows = ArffFile.rows(arff, "test.arff");

        // then
        assertThat(rows).containsExactly(
                List.of("Asia's exporters, \"worried\"\nsecond line\ttab \\ 50%", "1"),
                List.of("double, quoted", "0"));
    }

    @Test
    void shouldReadBareValuesTrimmed() {
        // when
        List<List<String>> rows = ArffFile.rows("@DATA\n5.1, 3.5 ,Iris-setosa\n", "iris.arff");

        // then
        assertThat(rows).containsExactly(List.of("5.1", "3.5", "Iris-setosa"));
    }

    @Test
    void shouldNameFileAndLineWhenAnEscapeIsUnknownOrAQuoteIsOpen() {
        // when / then
        assertThatThrownBy(() -> ArffFile.rows(HEADER + "'bad \\q escape',0\n", "x.arff"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.arff line 8").hasMessageContaining("\\q");
        assertThatThrownBy(() -> ArffFile.rows(HEADER + "'never closed,0\n", "x.arff"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.arff line 8").hasMessageContaining("unterminated");
    }

    @Test
    void shouldRefuseSparseRowsAndFilesWithoutData() {
        // when / then
        assertThatThrownBy(() -> ArffFile.rows(HEADER + "{0 'a', 1 1}\n", "s.arff"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparse");
        assertThatThrownBy(() -> ArffFile.rows("@relation r\n@attribute a numeric\n", "h.arff"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h.arff has no @data");
    }
}
