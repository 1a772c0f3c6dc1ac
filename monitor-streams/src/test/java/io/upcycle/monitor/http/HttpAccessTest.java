package io.upcycle.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HttpAccessTest {

    @Test
    void shouldBeOpenOnLoopbackRequireAConfiguredTokenAndGenerateOneOffLoopback() throws Exception {
        // given the three cases
        HttpAccess loopback = HttpAccess.of("", InetAddress.getLoopbackAddress());
        HttpAccess configured = HttpAccess.of("tok", InetAddress.getLoopbackAddress());
        HttpAccess everywhere = HttpAccess.of("", InetAddress.getByName("0.0.0.0"));
        HttpAccess everywhereAgain = HttpAccess.of("", InetAddress.getByName("0.0.0.0"));

        // then loopback without a token is open, as before
        assertThat(loopback.required()).isFalse();
        assertThat(loopback.allows(null)).isTrue();
        // and a configured token is required, exactly, as a bearer token; it is not printed
        assertThat(configured.required()).isTrue();
        assertThat(configured.allows("Bearer tok")).isTrue();
        assertThat(configured.allows(null)).isFalse();
        assertThat(configured.allows("Bearer tok2")).isFalse();
        assertThat(configured.allows("Bearer to")).isFalse();
        assertThat(configured.allows("tok")).isFalse();
        assertThat(configured.generatedToken()).isEmpty();
        assertThat(configured.toString()).doesNotContain("tok ").isEqualTo("bearer token (configured)");
        // and off loopback a random token of 256 bits is made, to be printed once, and required
        String generated = everywhere.generatedToken().orElseThrow();
        assertThat(generated).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(everywhereAgain.generatedToken().orElseThrow());
        assertThat(everywhere.allows("Bearer " + generated)).isTrue();
        assertThat(everywhere.allows(null)).isFalse();
        assertThat(everywhere.toString()).doesNotContain(generated);
    }

    @Test
    void shouldNeverShowTheTokenInTheSettingsText() {
        assertThat(new HttpSettings(7070, "0.0.0.0", "s3cret").toString()).doesNotContain("s3cret").contains("[hidden]");
        assertThat(new HttpSettings(7070, "127.0.0.1", "").toString()).contains("token=none");
    }
}
