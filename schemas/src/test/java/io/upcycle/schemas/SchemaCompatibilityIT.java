package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.registry.RegistryException;
import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RestSchemaRegistryClient} against the real registry of the local stack (Apicurio's
 * Confluent-compatible API): the registry, not the client, decides what may evolve, and the client
 * reports its verdicts faithfully. Every test works on subjects of its own.
 */
@ExtendWith(LocalStackExtension.class)
class SchemaCompatibilityIT {
    private static final int HTTP_CONFLICT = 409;
    private static final int INCOMPATIBLE = 409;

    private final String registryUrl;
    private final SchemaRegistryClient registry;

    SchemaCompatibilityIT(StackEndpoints stack) {
        this.registryUrl = stack.registryUrl();
        this.registry = new RestSchemaRegistryClient(registryUrl);
    }

    @Test
    void shouldRefuseANewRequiredFieldWhenSubjectIsFullTransitive() {
        // given
        String subject = fullTransitiveSubjectWith(ProbeSchemas.original());

        // when / then
        assertRefused(subject, ProbeSchemas.withNewRequiredField());
    }

    @Test
    void shouldRefuseRemovingARequiredFieldWhenSubjectIsFullTransitive() {
        // given
        String subject = fullTransitiveSubjectWith(ProbeSchemas.original());

        // when / then
        assertRefused(subject, ProbeSchemas.withoutStep());
    }

    @Test
    void shouldRefuseAChangeThatOnlyAnOlderVersionConflictsWithWhenTransitive() {
        // given: int tag, then no tag; a string tag suits the latest version but not the first
        String subject = fullTransitiveSubjectWith(ProbeSchemas.withIntTag(), ProbeSchemas.withoutTag());

        // when / then
        assertRefused(subject, ProbeSchemas.withStringTag());
    }

    @Test
    void shouldAcceptAnOptionalFieldWithADefaultUnderANewId() {
        // given
        String subject = fullTransitiveSubjectWith(ProbeSchemas.original());
        int firstId = registry.lookup(subject, ProbeSchemas.original()).orElseThrow();

        // when
        boolean compatible = registry.isCompatible(subject, ProbeSchemas.withOptionalNote());
        int newId = registry.register(subject, ProbeSchemas.withOptionalNote());

        // then
        assertThat(compatible).isTrue();
        assertThat(newId).isNotEqualTo(firstId);
        assertThat(registry.lookup(subject, ProbeSchemas.withOptionalNote())).contains(newId);
        assertThat(new RestSchemaRegistryClient(registryUrl).schemaById(newId)).isEqualTo(ProbeSchemas.withOptionalNote());
    }

    @Test
    void shouldFindARegisteredSchemaAndNothingForAnUnknownOne() {
        // given
        String subject = newSubject();
        int id = registry.register(subject, ProbeSchemas.original());

        // when / then: a fresh client, so the answers come from the registry, not a cache
        SchemaRegistryClient fresh = new RestSchemaRegistryClient(registryUrl);
        assertThat(fresh.lookup(subject, ProbeSchemas.original())).contains(id);
        assertThat(fresh.lookup(subject, ProbeSchemas.withOptionalNote())).as("unknown schema").isEmpty();
        assertThat(fresh.lookup(newSubject(), ProbeSchemas.original())).as("unknown subject").isEmpty();
    }

    @Test
    void shouldReturnTheExactSchemaWhenFetchedById() {
        // given: a real event schema with docs, enums, maps, arrays and nested records
        Schema schema = StopDecision.getClassSchema();
        int id = registry.register(newSubject(), schema);

        // when
        Schema fetched = new RestSchemaRegistryClient(registryUrl).schemaById(id);

        // then
        assertThat(fetched).isEqualTo(schema);
        assertThat(fetched.toString()).isEqualTo(schema.toString());
    }

    @Test
    void shouldCallAnySchemaCompatibleWhenSubjectHasNoVersionYet() {
        // given
        String subject = newSubject();

        // when / then: Apicurio answers 404 (subject not found), Confluent 200 (true)
        assertThat(registry.isCompatible(subject, ProbeSchemas.original())).isTrue();
    }

    @Test
    void shouldSayNotFoundWhenAnIdIsUnknown() {
        // when
        RegistryException refusal = catchThrowableOfType(RegistryException.class,
                () -> new RestSchemaRegistryClient(registryUrl).schemaById(Integer.MAX_VALUE));

        // then
        assertThat(refusal.status()).isEqualTo(404);
        assertThat(refusal.errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldFailInsteadOfAnsweringWhenTheUrlIsNoRegistryApi() {
        // given: the registry's host, but a path that serves no registry API (a bare 404)
        SchemaRegistryClient misconfigured = new RestSchemaRegistryClient(registryUrl + "-nothing-here");

        // when
        RegistryException compatibility = catchThrowableOfType(RegistryException.class,
                () -> misconfigured.isCompatible(newSubject(), ProbeSchemas.original()));
        RegistryException lookup = catchThrowableOfType(RegistryException.class,
                () -> misconfigured.lookup(newSubject(), ProbeSchemas.original()));

        // then
        assertThat(compatibility).isNotNull();
        assertThat(compatibility.status()).isEqualTo(404);
        assertThat(lookup).isNotNull();
        assertThat(lookup.status()).isEqualTo(404);
    }

    private void assertRefused(String subject, Schema change) {
        // when
        boolean compatible = registry.isCompatible(subject, change);
        RegistryException refusal = catchThrowableOfType(RegistryException.class, () -> registry.register(subject, change));

        // then
        assertThat(compatible).as("isCompatible").isFalse();
        assertThat(refusal).as("register").isNotNull();
        assertThat(refusal.status()).isEqualTo(HTTP_CONFLICT);
        assertThat(refusal.errorCode()).isEqualTo(INCOMPATIBLE);
        assertThat(refusal.getMessage()).containsIgnoringCase("incompatible").contains(subject);
        assertThat(registry.lookup(subject, change)).as("refused schema left out").isEmpty();
    }

    /** A new subject holding {@code versions} in order, under FULL_TRANSITIVE from the first on. */
    private String fullTransitiveSubjectWith(Schema... versions) {
        String subject = newSubject();
        registry.register(subject, versions[0]);
        registry.setCompatibility(subject, Topics.COMPATIBILITY);
        for (int i = 1; i < versions.length; i++) {
            registry.register(subject, versions[i]);
        }
        assertThat(registry.compatibility(subject)).contains(Topics.COMPATIBILITY);
        return subject;
    }

    private static String newSubject() {
        return "it-compat-" + UUID.randomUUID() + "-value";
    }
}
