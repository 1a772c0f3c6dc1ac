package io.upcycle.merger.method;

/** One knob a merge method reads: its name, its default in that method, and what it does. */
public record MethodParameter(String name, String defaultValue, String doc) {
}
