package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.trainer.events.PublisherThread;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The publisher's back-pressure is counted, so that metrics show it instead of hiding it. */
class PublisherThreadBackpressureTest {

    @Test
    void shouldCountAWaitWhenTheCallerFindsTheQueueFull() throws Exception {
        // given a publisher busy on a held task, with its one queue slot taken
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (PublisherThread publisher = new PublisherThread("test-backpressure", 1)) {
            publisher.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            publisher.execute(() -> { });
            Thread caller = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                // once the caller is blocked on the full queue, hold it a known 50 ms before making room
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING
                        || caller.getState() == Thread.State.TIMED_WAITING);
                sleepQuietly(50);
                release.countDown();
            });
            releaser.start();

            // when the next hand-over has to wait for room
            publisher.execute(() -> { });
            releaser.join();

            // then exactly that hand-over is counted, with the time it waited
            assertThat(publisher.fullWaits()).isEqualTo(1);
            assertThat(publisher.fullWaitNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(publisher.peakPending()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountNoWaitWhenTheQueueHasRoom() {
        // given
        try (PublisherThread publisher = new PublisherThread("test-no-backpressure", 64)) {
            // when
            for (int i = 0; i < 10; i++) {
                publisher.execute(() -> { });
            }
            publisher.runAndWait(() -> { });

            // then
            assertThat(publisher.fullWaits()).isZero();
            assertThat(publisher.fullWaitNanos()).isZero();
            assertThat(publisher.peakPending()).isBetween(1, 11);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
