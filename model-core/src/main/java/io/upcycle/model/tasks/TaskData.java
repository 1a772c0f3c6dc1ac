package io.upcycle.model.tasks;

import java.util.List;

/**
 * A task ready for training: its class names and its train, validation and test splits of sentence
 * embeddings, with the seed that drew the splits and a fingerprint of the training split
 * (sha256 over ids, labels and features; see {@link DatasetFingerprint}), which events carry so
 * that a run can be tied to the exact data it saw.
 */
public record TaskData(String task, List<String> classNames, Split train, Split validation, Split test,
                       long seed, String fingerprint) {
    public TaskData {
        classNames = List.copyOf(classNames);
    }
}
