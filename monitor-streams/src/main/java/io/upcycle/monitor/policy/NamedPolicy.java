package io.upcycle.monitor.policy;

/** What every policy states about itself: its name, its version and the signal it watches. */
abstract class NamedPolicy implements StopPolicy {
    private final String name;
    private final int version;
    private final String signalName;

    NamedPolicy(String name, int version, String signalName) {
        this.name = name;
        this.version = version;
        this.signalName = signalName;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int version() {
        return version;
    }

    @Override
    public final String signalName() {
        return signalName;
    }
}
