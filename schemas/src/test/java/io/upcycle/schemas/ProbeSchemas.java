package io.upcycle.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Versions of a small record, each one a named kind of schema change, for compatibility tests. */
final class ProbeSchemas {
    private static final String NAME = "Probe";
    private static final String NAMESPACE = "io.upcycle.schemas.it";

    private ProbeSchemas() {
    }

    /** The first version: a run id and a step. */
    static Schema original() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").requiredLong("step").endRecord();
    }

    /** Adds a field without a default: old records cannot be read with it. */
    static Schema withNewRequiredField() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").requiredLong("step").requiredString("note").endRecord();
    }

    /** Drops a field without a default: old readers cannot read new records. */
    static Schema withoutStep() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").endRecord();
    }

    /** Adds an optional field with a default: readable both ways. */
    static Schema withOptionalNote() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").requiredLong("step").optionalString("note").endRecord();
    }

    /** Has an int {@code tag} with a default. */
    static Schema withIntTag() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").name("tag").type().intType().intDefault(0).endRecord();
    }

    /** Has no {@code tag}: fully compatible with {@link #withIntTag()}, which gave it a default. */
    static Schema withoutTag() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").endRecord();
    }

    /**
     * Brings {@code tag} back as a string with a default: fully compatible with
     * {@link #withoutTag()}, but not with {@link #withIntTag()} (int and string do not resolve).
     */
    static Schema withStringTag() {
        return SchemaBuilder.record(NAME).namespace(NAMESPACE).fields()
                .requiredString("runId").name("tag").type().stringType().stringDefault("").endRecord();
    }
}
