package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several producers starting at once (experts launched together) register the same subject and
 * set its compatibility at the same moment; none of them may fail.
 */
@ExtendWith(LocalStackExtension.class)
class ConcurrentRegistrationIT {

    @Test
    void shouldLetManyClientsSetTheSameSubjectsCompatibilityAtOnce(StackEndpoints stack) {
        // given: eight independent clients (no shared cache) and a new subject
        String subject = "concurrent-" + UUID.randomUUID() + "-value";
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> clients = new ArrayList<>();

        // when
        for (int i = 0; i < 8; i++) {
            clients.add(CompletableFuture.supplyAsync(() -> {
                RestSchemaRegistryClient client = new RestSchemaRegistryClient(stack.registryUrl());
                await(start);
                int id = client.register(subject, SampleEvents.stepMetrics().getSchema());
                client.setCompatibility(subject, Topics.COMPATIBILITY);
                return id;
            }));
        }
        start.countDown();

        // then
        List<Integer> ids = clients.stream().map(CompletableFuture::join).toList();
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(new RestSchemaRegistryClient(stack.registryUrl()).compatibility(subject)).contains(Topics.COMPATIBILITY);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
