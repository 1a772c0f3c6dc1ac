package io.upcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.stack.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackExtensionIT {

    private static StackEndpoints fromBeforeAll;

    @BeforeAll
    static void rememberStack(StackEndpoints stack) {
        fromBeforeAll = stack;
    }

    @Test
    @Order(1)
    void shouldInjectOneSharedStackWhenAskedTwice(StackEndpoints stack) {
        // given the stack handed to @BeforeAll, when a test asks again, then it gets the same stack
        assertThat(stack).isEqualTo(fromBeforeAll);
        assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
    }

    @Test
    @Order(2)
    void shouldInjectAWorkingBrokerAndRegistry(StackEndpoints stack) throws Exception {
        // given the shared stack
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());

        // when the broker and the registry are asked who they are
        int nodes;
        try (Admin admin = Admin.create(config)) {
            nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        }
        HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/subjects")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        // then both answer
        assertThat(nodes).isEqualTo(1);
        assertThat(subjects.statusCode()).isEqualTo(200);
    }
}
