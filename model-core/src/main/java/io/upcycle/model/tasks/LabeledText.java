package io.upcycle.model.tasks;

/**
 * One example of a task: its text, its class index into the task's class names, and where it
 * came from ({@code file#entry}, for humans reading a hard example).
 */
public record LabeledText(String source, String text, int label) {
    public LabeledText {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty text from " + source);
        }
        if (label < 0) {
            throw new IllegalArgumentException("negative label " + label + " for " + source);
        }
    }
}
