package io.upcycle.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.trainer.events.PublisherThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PublisherThreadTest {

    @Test
    void shouldRunTasksInTheOrderTheyWereHandedOver() {
        // given
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (PublisherThread publisher = new PublisherThread("test-publisher", 16)) {
            // when
            for (int i = 0; i < 100; i++) {
                int n = i;
                publisher.execute(() -> seen.add(n));
            }
            publisher.runAndWait(() -> { });
            // then
            assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
        }
    }

    @Test
    void shouldMakeTheCallerWaitWhenTheQueueIsFull() throws Exception {
        // given a publisher stuck on its first task with room for two more
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean fourthQueued = new AtomicBoolean();
        try (PublisherThread publisher = new PublisherThread("test-publisher", 2)) {
            publisher.execute(() -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            publisher.execute(() -> { });
            publisher.execute(() -> { });
            // when a fourth task is handed over from another thread
            Thread caller = new Thread(() -> {
                publisher.execute(() -> { });
                fourthQueued.set(true);
            });
            caller.start();
            // then it waits (blocked on the full queue) until the publisher makes room
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> blocked(caller));
            assertThat(fourthQueued).isFalse();
            release.countDown();
            caller.join(5000);
            assertThat(fourthQueued).isTrue();
        }
    }

    @Test
    void shouldRethrowTheFailureOfATaskItWaitsFor() {
        try (PublisherThread publisher = new PublisherThread("test-publisher", 4)) {
            // when / then
            assertThatThrownBy(() -> publisher.runAndWait(() -> {
                throw new IllegalArgumentException("broker says no");
            })).hasMessage("broker says no");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean blocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
