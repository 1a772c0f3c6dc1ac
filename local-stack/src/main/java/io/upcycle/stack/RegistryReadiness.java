package io.upcycle.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits until the registry's Confluent-compatible API answers 200, failing early when the child
 * process exits and after a timeout otherwise.
 */
final class RegistryReadiness {

    static final String PROBE_PATH = "/apis/ccompat/v7/subjects";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private RegistryReadiness() {
    }

    static void await(Process child, String baseUrl, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + PROBE_PATH))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new StackStartException("Apicurio Registry exited with code " + child.exitValue()
                        + " before " + baseUrl + PROBE_PATH + " answered");
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (IOException notYetListening) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackStartException("Interrupted while waiting for Apicurio Registry", e);
            }
        }
        throw new StackStartException("Apicurio Registry did not answer " + baseUrl + PROBE_PATH + " within " + timeout);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("Interrupted while waiting for Apicurio Registry", e);
        }
    }
}
