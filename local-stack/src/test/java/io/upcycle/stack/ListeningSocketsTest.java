package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void shouldParseIpv4RowsInHostByteOrder() {
        InetSocketAddress address = ListeningSockets.parse("0100007F:1F90");

        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address.getPort()).isEqualTo(8080);
    }

    @Test
    void shouldParseIpv4MappedIpv6RowsAsIpv4() {
        InetSocketAddress address = ListeningSockets.parse("0000000000000000FFFF00000100007F:0050");

        assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address.getPort()).isEqualTo(80);
    }

    @Test
    void shouldParseTheIpv6WildcardAsNotLoopback() {
        InetSocketAddress address = ListeningSockets.parse("00000000000000000000000000000000:0050");

        assertThat(address.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(address.getAddress().isLoopbackAddress()).isFalse();
    }
}
