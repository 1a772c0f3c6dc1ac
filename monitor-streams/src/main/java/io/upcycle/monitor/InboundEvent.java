package io.upcycle.monitor;

/**
 * A decoded input event together with the raw bytes it came from, so that a later stage can
 * still dead-letter the original record byte for byte.
 */
record InboundEvent(Object event, byte[] rawKey, byte[] rawValue) {
}
