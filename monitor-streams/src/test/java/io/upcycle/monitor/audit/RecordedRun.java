package io.upcycle.monitor.audit;

import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.Topic;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's events of synthetic runs for audit tests: {@code examples} examples, {@code perStep}
 * more of them learned (loss 0.05, the rest above 1) each step up to 98, a checkpoint every 4 steps,
 * event time t0 + step, and a BUDGET_EXHAUSTED end stamped just after the last step.
 */
final class RecordedRun {
    static final int EXAMPLES = 100;

    /** One produced event, in production order. */
    record Event(Topic<String, ?> topic, String runId, Object value, long timestamp) {
    }

    private RecordedRun() {
    }

    static List<Event> events(Topics topics, String runId, int perStep, int steps, long t0) {
        List<Event> out = new ArrayList<>();
        out.add(new Event(topics.runs(), runId, RunEvent.newBuilder().setEvent(SampleEvents.started(runId, EXAMPLES).build()).build(), t0));
        for (int s = 1; s <= steps; s++) {
            List<Integer> ids = new ArrayList<>();
            List<Float> losses = new ArrayList<>();
            for (int id = 0; id < EXAMPLES; id++) {
                ids.add(id);
                losses.add(id < Math.min(98, perStep * s) ? 0.05f : 1f + id / 1000f);
            }
            out.add(new Event(topics.exampleLosses(), runId, ExampleLosses.newBuilder().setRunId(runId).setStep(s)
                    .setExampleIds(ids).setLosses(losses).build(), t0 + s));
            if (s % 4 == 0) {
                out.add(new Event(topics.checkpoints(), runId, CheckpointSaved.newBuilder().setRunId(runId).setStep(s)
                        .setUri("file:/store/" + runId + "/step-" + s + ".safetensors").setSha256(sha(s)).setSizeBytes(1024)
                        .setKind(CheckpointKind.FULL_WEIGHTS).build(), t0 + s));
            }
        }
        out.add(new Event(topics.runs(), runId, RunEvent.newBuilder().setEvent(RunEnded.newBuilder().setRunId(runId)
                .setFinalStep(steps).setReason(EndReason.BUDGET_EXHAUSTED).build()).build(), t0 + steps + 1));
        return out;
    }

    /** The wire bytes of {@code event}'s value, with its topic's serializer. */
    @SuppressWarnings("unchecked")
    static byte[] bytes(Event event) {
        return ((Topic<String, Object>) event.topic()).valueSerde().serializer().serialize(event.topic().name(), event.value());
    }

    static int schemaId(byte[] value) {
        return WireFormat.schemaId("test", value);
    }

    static String sha(long n) {
        return SampleEvents.sha256(n);
    }
}
