package io.upcycle.merger.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.upcycle.model.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The JSON card of a merge on files, written beside the merged safetensors: method and its paper,
 * the parameters actually used (defaults filled in, seed included), every input with its sha256,
 * the output's sha256 and size, tensor counts and timings.
 */
final class FileMergeCard {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FileMergeCard() {
    }

    static void write(FileMerge.Result result, String method, String referenceUrl, Map<Path, String> hashes,
                      FileMergeArgs args, long outputSize, String device) {
        ObjectNode card = JSON.createObjectNode();
        card.put("method", method);
        card.put("referenceUrl", referenceUrl);
        ObjectNode parameters = card.putObject("parameters");
        result.parameters().asStrings().forEach(parameters::put);
        card.put("seed", result.parameters().seed());
        card.put("adapterSpace", args.adapterSpace());
        card.putObject("base").put("path", args.base().toAbsolutePath().toString()).put("sha256", hashes.get(args.base()));
        ArrayNode experts = card.putArray("experts");
        for (int i = 0; i < args.experts().size(); i++) {
            Path expert = args.experts().get(i);
            experts.addObject().put("index", i).put("path", expert.toAbsolutePath().toString()).put("sha256", hashes.get(expert));
        }
        card.putObject("output").put("path", result.output().toAbsolutePath().toString())
                .put("sha256", result.outputSha256()).put("sizeBytes", outputSize);
        card.putObject("tensors").put("merged", result.mergedTensors()).put("copied", result.copiedTensors())
                .put("copiedAs", "experts.<index>.<name> (tensors only an expert holds)");
        card.putObject("timings").put("mergeMillis", result.mergeMillis()).put("totalMillis", result.totalMillis());
        card.put("device", device);
        Path file = result.card();
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            JSON.writeValue(temp.toFile(), card);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CheckpointException("cannot write merge card " + file + ": " + e.getMessage(), e);
        }
    }
}
