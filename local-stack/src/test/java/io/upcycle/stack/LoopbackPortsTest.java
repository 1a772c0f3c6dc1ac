package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.ServerSocket;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void shouldPickDistinctPortsThatCanBeBoundOnLoopback() throws Exception {
        // when two ports are picked
        int[] ports = LoopbackPorts.pick(2);

        // then they differ and each can be bound on 127.0.0.1
        assertThat(ports[0]).isNotEqualTo(ports[1]);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, LoopbackPorts.address())) {
                assertThat(socket.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            }
        }
    }

    @Test
    void shouldRecognizeABindFailureDeepInTheCauseChain() {
        var failure = new IllegalStateException("startup failed",
                new KafkaException("Socket server failed to bind", new BindException("Address already in use")));

        assertThat(LoopbackPorts.isBindFailure(failure)).isTrue();
        assertThat(LoopbackPorts.isBindFailure(new IllegalStateException("disk full"))).isFalse();
    }

    @Test
    void shouldRecognizeQuarkusPortInUseMessage() {
        assertThat(LoopbackPorts.isBindMessage("Port 8080 seems to be in use by another process.")).isTrue();
        assertThat(LoopbackPorts.isBindMessage("Quarkus started in 3.1s")).isFalse();
    }
}
