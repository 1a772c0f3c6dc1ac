package io.upcycle.model.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.tasks.EmailBody;
import io.upcycle.model.tasks.FortuneFile;
import org.junit.jupiter.api.Test;

class EmailBodyTest {

    @Test
    void shouldDropTheHeaderBlockIncludingContinuationLinesWhenReadingAMessage() {
        // given
        String message = "From someone@example.com  Thu Aug 22 12:36:23 2002\r\n"
                + "Received: from localhost\r\n\tby phobos (Postfix)\r\n"
                + "Subject: Cheap stuff\r\n\r\n"
                + "  Buy now!\r\n\r\nSecond paragraph.\r\n\r\n";

        // when
        String body = EmailBody.of(message);

        // then
        assertThat(body).isEqualTo("Buy now!\n\nSecond paragraph.");
    }

    @Test
    void shouldReturnEmptyWhenTheMessageHasNoBody() {
        // when / then
        assertThat(EmailBody.of("Subject: only headers\nFrom: a@b\n")).isEmpty();
        assertThat(EmailBody.of("Subject: blank body\n\n  \n\n")).isEmpty();
    }

    @Test
    void shouldClipLongBodiesToTheSharedLimit() {
        // given
        String message = "Subject: long\n\n" + "x".repeat(FortuneFile.MAX_CHARS + 500);

        // when
        String body = EmailBody.of(message);

        // then
        assertThat(body).hasSize(FortuneFile.MAX_CHARS);
    }
}
