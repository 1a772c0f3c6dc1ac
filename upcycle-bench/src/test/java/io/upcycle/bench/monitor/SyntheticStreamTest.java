package io.upcycle.bench.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.registry.InMemorySchemaRegistryClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SyntheticStreamTest {
    private final Topics topics = Topics.connect(new InMemorySchemaRegistryClient());

    private ExampleLosses decode(byte[] value) {
        return topics.exampleLosses().valueSerde().deserializer().deserialize(Topics.EXAMPLE_LOSSES, value);
    }

    @Test
    void replacesTheStepAndTheIdsAndKeepsTheValues() {
        ExampleLosses template = ExampleLosses.newBuilder().setRunId("run-7").setStep(3).setExampleIds(List.of(1, 2, 300))
                .setLosses(List.of(0.5f, 1.5f, 2f)).setEl2n(List.of(0.1f, 0.2f, 0.3f)).setCorrect(List.of(true, false, true))
                .build();
        byte[] encoded = topics.exampleLosses().valueSerde().serializer().serialize(Topics.EXAMPLE_LOSSES, template);

        ExampleLosses out = decode(SyntheticStream.withStepAndIds(encoded, "run-7", 123_456_789L, new int[] {9_999_999, 0, 64}));

        assertEquals(123_456_789L, out.getStep());
        assertEquals(List.of(9_999_999, 0, 64), out.getExampleIds());
        assertEquals(template.getLosses(), out.getLosses());
        assertEquals(template.getEl2n(), out.getEl2n());
        assertEquals(template.getCorrect(), out.getCorrect());
        assertEquals("run-7", out.getRunId());
        assertThrows(IllegalArgumentException.class, () -> SyntheticStream.withStepAndIds(encoded, "run-7", 1, new int[2]));
    }

    @Test
    void eachRunWalksAllItsExamplesOncePerEpochInAShuffledOrder() {
        int examples = 1000;
        SyntheticStream stream = new SyntheticStream(topics, "bench", 2, examples, 50, 40, 0L, 42L);

        assertEquals(80, stream.losses.size());
        for (String run : stream.runIds) {
            Set<Integer> firstEpoch = new HashSet<>();
            List<Integer> order = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : stream.losses) {
                ExampleLosses losses = decode(record.value());
                if (losses.getRunId().equals(run) && losses.getStep() <= 20) {
                    firstEpoch.addAll(losses.getExampleIds());
                    order.addAll(losses.getExampleIds());
                }
            }
            assertEquals(examples, firstEpoch.size(), "20 steps of 50 cover the 1,000 examples once");
            int[] sequential = new int[examples];
            Arrays.setAll(sequential, i -> i);
            assertFalse(Arrays.equals(sequential, order.stream().mapToInt(Integer::intValue).toArray()));
        }
    }

    @Test
    void anEpochOrderReshufflesAtTheEndOfAnEpoch() {
        SyntheticStream.EpochOrder order = new SyntheticStream.EpochOrder(10, new Random(1));
        int[] first = new int[10];
        int[] second = new int[10];
        order.next(first);
        order.next(second);
        assertEquals(10, Arrays.stream(first).distinct().count());
        assertEquals(10, Arrays.stream(second).distinct().count());
        assertFalse(Arrays.equals(first, second));
    }
}
