package io.upcycle.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.testing.RepositoryRoot;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The GPU merger image, checked without Docker: its stage starts the services exactly as the CPU image
 * does (which ComposeIT runs), on a CUDA base that matches the TensorFlow natives the build unpacks,
 * and compose.gpu.yaml builds that stage for the merger with a GPU reserved.
 */
class ImageStagesTest {
    private final Path root = RepositoryRoot.find();

    @Test
    void shouldStartTheGpuMergerAsTheCpuImageStartsTheServicesOnTheCudaTheNativesNeed() throws Exception {
        // given the Dockerfile's final stage and its GPU stage
        Path dockerfile = root.resolve("upcycle-cli/Dockerfile");
        ImageEntrypoint cpu = ImageEntrypoint.read(dockerfile);
        ImageEntrypoint gpu = ImageEntrypoint.read(dockerfile, "merger-gpu");

        // then both run the same entry point with the same environment
        assertThat(gpu.entrypoint()).isEqualTo(cpu.entrypoint());
        assertThat(gpu.environment()).isEqualTo(cpu.environment());
        // and the GPU one is CUDA 12.1 with cuDNN 8, for the cu121 natives the merger's build unpacks
        assertThat(cpu.from()).doesNotContain("cuda");
        assertThat(gpu.from()).startsWith("nvidia/cuda:12.1.").contains("cudnn8").contains("runtime");
        assertThat(Files.readString(root.resolve("merger-service/pom.xml"))).contains("<artifactId>tensorflow-native-cu121</artifactId>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBuildTheGpuStageForTheMergerWithAGpuReservedInComposeGpuYaml() throws Exception {
        Map<String, Object> file;
        try (Reader in = Files.newBufferedReader(root.resolve("compose.gpu.yaml"))) {
            file = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        Map<String, Object> services = (Map<String, Object>) file.get("services");
        assertThat(services).containsOnlyKeys("merger");
        assertThat(ComposeFile.read(root.resolve("compose.yaml")).service("merger")).isNotNull();
        Map<String, Object> merger = (Map<String, Object>) services.get("merger");
        assertThat((Map<String, Object>) merger.get("build")).containsEntry("target", "merger-gpu")
                .containsEntry("dockerfile", "upcycle-cli/Dockerfile");
        Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) merger.get("deploy"))
                .get("resources")).get("reservations");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) reservations.get("devices");
        assertThat(devices).singleElement().satisfies(device -> {
            assertThat(device).containsEntry("driver", "nvidia");
            assertThat((List<String>) device.get("capabilities")).contains("gpu");
        });
    }
}
