package io.upcycle.monitor.policy;

/** A policy parameter is unknown or has a bad value; names the parameter so config errors can name the key. */
public class PolicyParameterException extends IllegalArgumentException {
    private final String parameter;

    public PolicyParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter at fault. */
    public String parameter() {
        return parameter;
    }
}
