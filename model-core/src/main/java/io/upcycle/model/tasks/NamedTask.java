package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataSource;
import java.util.List;

/** The part every task shares: its name, its class names in label order and where its data comes from. */
abstract class NamedTask implements TaskSource {
    private final String name;
    private final List<String> classNames;
    private final List<DataSource> sources;

    NamedTask(String name, List<String> classNames, List<DataSource> sources) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.sources = List.copyOf(sources);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> classNames() {
        return classNames;
    }

    @Override
    public final List<DataSource> sources() {
        return sources;
    }
}
