#!/usr/bin/env python3
"""A trainer that is not ours, speaking the trainer contract (docs/trainer-contract.md).

It declares a run, streams each step's per-example losses and metrics, announces a checkpoint
every few steps, watches upcycle.stop-decisions for its run and, when an ENFORCE decision arrives,
ends the run with RunEnded naming the decision. The "training" is synthetic (each example's loss
decays at its own pace), so that it runs anywhere in seconds; put your own loop's numbers in its
place.

Needs Debian's python3-confluent-kafka and python3-avro (apt-get install python3-confluent-kafka
python3-avro). Prints one JSON line: the run, how it ended, at which step, and the decision.

    python3 trainer.py --bootstrap-servers 127.0.0.1:9092 \\
        --schema-registry-url http://127.0.0.1:8080/apis/ccompat/v7 \\
        --schemas ../../schemas/src/main/avro --run-id my-run
"""
import argparse
import hashlib
import io
import json
import math
import pathlib
import random
import sys
import time

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

RUNS = "upcycle.runs"
STEP_METRICS = "upcycle.step-metrics"
EXAMPLE_LOSSES = "upcycle.example-losses"
CHECKPOINTS = "upcycle.checkpoints"
STOP_DECISIONS = "upcycle.stop-decisions"
# The record each topic carries (its value subject is "<topic>-value").
VALUE_SCHEMAS = {RUNS: "RunEvent", STEP_METRICS: "StepMetrics", EXAMPLE_LOSSES: "ExampleLosses",
                 CHECKPOINTS: "CheckpointSaved"}
MAGIC = b"\x00"


def load_schemas(folder):
    """Every .avsc file of the folder, parsed with the named types they share (any file order)."""
    pending = {path: json.loads(path.read_text()) for path in sorted(pathlib.Path(folder).glob("*.avsc"))}
    names = avro.schema.Names()
    parsed = {}
    while pending:
        progress = False
        for path, definition in list(pending.items()):
            trial = avro.schema.Names()
            trial.names = dict(names.names)  # a failed parse may leave a half-defined name behind
            try:
                schema = avro.schema.make_avsc_object(definition, trial)
            except avro.errors.SchemaParseException:
                continue  # refers to a type of a file not parsed yet
            names = trial
            parsed[schema.name] = schema
            del pending[path]
            progress = True
        if not progress:
            raise SystemExit(f"cannot parse {sorted(str(p) for p in pending)}: unknown types")
    return parsed


class Wire:
    """Confluent's wire format: byte 0, the 4-byte schema id, the Avro binary."""

    def __init__(self, registry):
        self.registry = registry
        self.readers = {}

    def register(self, topic, schema):
        subject = f"{topic}-value"
        text = json.dumps(schema.to_json())  # named types inlined: the monitor reads no schema references
        schema_id = self.registry.register_schema(subject, Schema(text, "AVRO"))
        self.registry.set_compatibility(subject_name=subject, level="FULL_TRANSITIVE")  # as Upcycle's services set it
        return schema_id

    @staticmethod
    def encode(schema_id, schema, datum):
        out = io.BytesIO()
        out.write(MAGIC + schema_id.to_bytes(4, "big"))
        avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
        return out.getvalue()

    def decode(self, payload):
        if payload[:1] != MAGIC:
            raise ValueError("not Confluent-framed Avro")
        schema_id = int.from_bytes(payload[1:5], "big")
        if schema_id not in self.readers:
            writer = avro.schema.parse(self.registry.get_schema(schema_id).schema_str)
            self.readers[schema_id] = avro.io.DatumReader(writer)
        return self.readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(payload[5:])))


def ensure_topics(bootstrap, partitions):
    """Creates the topics this trainer uses if missing: the monitor's inputs need one partition count."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = admin.list_topics(timeout=30).topics
    keep_all = {"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"}  # audits replay the log
    missing = [NewTopic(t, num_partitions=partitions, replication_factor=1, config=keep_all)
               for t in (RUNS, STEP_METRICS, EXAMPLE_LOSSES, CHECKPOINTS, STOP_DECISIONS) if t not in existing]
    for topic, future in admin.create_topics(missing).items() if missing else []:
        try:
            future.result()
        except Exception as e:  # created meanwhile by another client
            if "TOPIC_ALREADY_EXISTS" not in str(e):
                raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schema-registry-url", required=True, help="Confluent API base (Apicurio: .../apis/ccompat/v7)")
    parser.add_argument("--schemas", required=True, help="folder of the contract's .avsc files")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--task", default="synthetic")
    parser.add_argument("--examples", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps", type=int, default=600, help="the budget")
    parser.add_argument("--checkpoint-every", type=int, default=10)
    parser.add_argument("--checkpoints", default="checkpoints", help="folder the checkpoints are written to")
    parser.add_argument("--step-ms", type=float, default=20, help="pause per step, standing in for the work of one")
    parser.add_argument("--partitions", type=int, default=1, help="partitions of the topics created if missing")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    schemas = load_schemas(args.schemas)
    registry = SchemaRegistryClient({"url": args.schema_registry_url})
    wire = Wire(registry)
    ensure_topics(args.bootstrap_servers, args.partitions)
    ids = {topic: wire.register(topic, schemas[name]) for topic, name in VALUE_SCHEMAS.items()}
    # murmur2: the Java client's partitioner, so that a run lands on the same partition of every topic as Java's would
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 5, "partitioner": "murmur2_random"})
    key = args.run_id.encode()

    def send(topic, datum):
        producer.produce(topic, key=key, value=wire.encode(ids[topic], schemas[VALUE_SCHEMAS[topic]], datum))
        producer.poll(0)

    # Stops: only committed decisions, every partition from the start, this run's key only.
    stops = Consumer({"bootstrap.servers": args.bootstrap_servers, "group.id": f"python-trainer-{args.run_id}",
                      "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                      "enable.auto.commit": False, "topic.metadata.refresh.interval.ms": 1000})
    stops.subscribe([STOP_DECISIONS])

    # 1. Declare the run; it must be on the log before any step of it.
    send(RUNS, {"event": {
        "runId": args.run_id, "task": args.task, "baseModelId": "python-example",
        "baseModelSha256": hashlib.sha256(b"python-example").hexdigest(), "mode": "FULL", "loraRank": 0,
        "loraAlpha": 0.0, "loraTargets": [], "hyperParameters": {"trainer": "examples/python/trainer.py"},
        "seed": args.seed, "datasetFingerprint": f"synthetic-{args.examples}-{args.seed}",
        "exampleCount": args.examples, "classCount": 2, "resumedFromStep": None}})
    producer.flush(30)

    rng = random.Random(args.seed)
    difficulty = [rng.uniform(0.5, 3.0) for _ in range(args.examples)]
    order = []
    checkpoints = pathlib.Path(args.checkpoints) / args.run_id
    checkpoints.mkdir(parents=True, exist_ok=True)
    decision = None
    step = 0
    for step in range(1, args.steps + 1):
        # 2. One step: the batch's examples (a shuffled epoch), their losses before the update, the step's metrics.
        batch = []
        while len(batch) < args.batch_size:
            if not order:
                order = list(range(args.examples))
                rng.shuffle(order)
            batch.append(order.pop())
        losses = [d * math.exp(-0.03 * step) for d in (difficulty[i] for i in batch)]
        send(EXAMPLE_LOSSES, {"runId": args.run_id, "step": step, "exampleIds": batch, "losses": losses,
                              "correct": [loss < 0.7 for loss in losses], "el2n": [min(1.4, loss / 2) for loss in losses],
                              "fullPass": False})
        send(STEP_METRICS, {"runId": args.run_id, "step": step, "epoch": (step * args.batch_size) // args.examples,
                            "trainLoss": sum(losses) / len(losses), "learningRate": 1e-3, "gradientNorm": None,
                            "evalLoss": None, "evalAccuracy": None})
        # 3. A checkpoint now and then: the monitor's decision names the one to keep.
        if step % args.checkpoint_every == 0:
            file = checkpoints / f"step-{step}.json"
            file.write_text(json.dumps({"step": step, "weights": "stand-in"}))
            data = file.read_bytes()
            send(CHECKPOINTS, {"runId": args.run_id, "step": step, "uri": file.resolve().as_uri(),
                               "sha256": hashlib.sha256(data).hexdigest(), "sizeBytes": len(data), "format": "json",
                               "kind": "FULL_WEIGHTS"})
        # 4. Look for this run's stop (ENFORCE; OBSERVE decisions are only recorded).
        for message in stops.consume(num_messages=100, timeout=0):
            if message.error() or message.key() != key:
                continue
            value = wire.decode(message.value())
            if value["mode"] == "ENFORCE":
                decision = (value, message.timestamp()[1])
        if decision:
            break
        time.sleep(args.step_ms / 1000)

    # 5. End the run: STOPPED with the decision's id, or the budget spent.
    ended = {"runId": args.run_id, "finalStep": step, "reason": "BUDGET_EXHAUSTED", "stopDecisionId": None,
             "message": None, "stopDecidedAtStep": None, "stopLatencyMs": None}
    if decision:
        value, published_ms = decision
        ended.update(reason="STOPPED", stopDecisionId=value["decisionId"], message=value["reason"],
                     stopDecidedAtStep=value["decidedAtStep"], stopLatencyMs=float(time.time() * 1000 - published_ms))
    send(RUNS, {"event": ended})
    if producer.flush(30) != 0:
        raise SystemExit("could not deliver every event within 30 s")
    stops.close()
    print(json.dumps({"run": args.run_id, "reason": ended["reason"], "final_step": step,
                      "decision": ended["stopDecisionId"], "decided_at_step": ended["stopDecidedAtStep"],
                      "checkpoint_step": decision[0]["checkpointStep"] if decision else None}))


if __name__ == "__main__":
    sys.exit(main())
