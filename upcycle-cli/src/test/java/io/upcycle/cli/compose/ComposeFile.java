package io.upcycle.cli.compose;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The parts of a compose file a test runs without Docker: each service's image, command, environment, volumes and health. */
record ComposeFile(Map<String, Service> services) {

    /** One service; lists and maps are empty where the file gives none. */
    record Service(String name, String image, List<String> command, Map<String, String> environment, List<String> volumes,
                   Map<String, String> dependsOn, List<String> ports, List<String> healthcheck) {
    }

    static ComposeFile read(Path file) throws IOException {
        Map<String, Object> root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in); // merges `<<: *anchor` keys
        }
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services")).forEach((name, value) -> {
            Map<String, Object> service = map(value);
            services.put(name, new Service(name, (String) service.get("image"), strings(service.get("command")),
                    strings(map(service.get("environment"))), strings(service.get("volumes")), conditions(service.get("depends_on")),
                    strings(service.get("ports")), strings(map(service.get("healthcheck")).get("test"))));
        });
        return new ComposeFile(services);
    }

    /** The services built from this project (image {@code upcycle:*}). */
    List<Service> upcycleServices() {
        return services.values().stream().filter(s -> s.image() != null && s.image().startsWith("upcycle:")).toList();
    }

    Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("compose file has no service '" + name + "' (it has " + services.keySet() + ")");
        }
        return service;
    }

    private static Map<String, String> conditions(Object dependsOn) {
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(name -> conditions.put(name.toString(), "service_started"));
        } else {
            map(dependsOn).forEach((name, spec) -> conditions.put(name, String.valueOf(map(spec).get("condition"))));
        }
        return conditions;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        return value == null ? List.of() : ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }
}
