package io.upcycle.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API: register, look up, get by id, check
 * compatibility, read and set a subject's compatibility level. Ids and schemas are cached, so
 * serdes ask the registry once per schema.
 *
 * <p>The base URL is the only thing that differs between registries: a Confluent registry's root,
 * or Apicurio's Confluent-compatible API at {@code /apis/ccompat/v7}. A secured registry also takes
 * credentials and a trust store ({@link RegistryAccess}); a 401 or 403 answer fails with a message
 * that says so, without the credentials.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Registry error codes (same in Confluent's and Apicurio's API); a bare 404 means a wrong URL. */
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final String baseUrl;
    private final RegistryAccess access;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** A client of an open registry, trusted by the JVM's default trust. */
    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, RegistryAccess.OPEN);
    }

    /** A client that authenticates and trusts as {@code access} says. */
    public RestSchemaRegistryClient(String baseUrl, RegistryAccess access) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.access = access;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        access.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + '\0' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = reply.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException("registry answered without an id for subject " + subject + ": " + reply, 200, -1, null);
        }
        idsBySubjectAndSchema.put(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Optional<Integer> lookup(String subject, Schema schema) {
        try {
            JsonNode reply = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            return Optional.of(reply.path("id").asInt());
        } catch (RegistryException e) {
            if (e.errorCode() == SUBJECT_NOT_FOUND || e.errorCode() == SCHEMA_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, key -> {
            JsonNode reply = send("GET", "/schemas/ids/" + key, null);
            return new Schema.Parser().parse(reply.path("schema").asText());
        });
    }

    /**
     * Asks the registry to run the same check as {@link #register}: against every version the
     * subject's level names (all of them under a TRANSITIVE level). The per-version endpoint
     * ({@code .../versions/latest}) would compare with the latest version only, in Confluent's
     * registry and in Apicurio's alike.
     */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode reply = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            return reply.path("is_compatible").asBoolean(false);
        } catch (RegistryException e) {
            if (e.errorCode() == SUBJECT_NOT_FOUND) {
                return true; // no version yet: Confluent answers true, Apicurio 404 / 40401
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        try {
            send("PUT", "/config/" + encode(subject), body.toString());
        } catch (RegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Apicurio answers 409 when another client created the subject's rule a moment earlier;
            // the rule exists now, so a second PUT updates it unless it already says the same.
            if (!compatibility(subject).map(level::equals).orElse(false)) {
                send("PUT", "/config/" + encode(subject), body.toString());
            }
        }
    }

    @Override
    public Optional<String> compatibility(String subject) {
        try {
            JsonNode reply = send("GET", "/config/" + encode(subject), null);
            String level = reply.path("compatibilityLevel").asText(reply.path("compatibility").asText(""));
            return level.isEmpty() ? Optional.empty() : Optional.of(level);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE);
        access.authorization().ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException("schema registry at " + baseUrl + " cannot be reached: " + e.getMessage(), -1, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while calling the schema registry at " + baseUrl, -1, -1, e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException("the schema registry at " + baseUrl + " refused " + access.describe() + " (HTTP "
                    + response.statusCode() + " on " + method + " " + path + "): check its credentials (schema.registry.basic.auth.user.info"
                    + " or schema.registry.bearer.auth.token)", response.statusCode(), -1, null);
        }
        JsonNode reply = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            int code = reply.path("error_code").asInt(-1);
            String message = reply.path("message").asText(response.body());
            throw new RegistryException(method + " " + path + " failed with HTTP " + response.statusCode()
                    + " (error " + code + "): " + message, response.statusCode(), code, null);
        }
        return reply;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }
}
