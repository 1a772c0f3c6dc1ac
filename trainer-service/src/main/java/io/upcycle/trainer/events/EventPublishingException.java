package io.upcycle.trainer.events;

/** Events of a run could not be delivered to Kafka. */
public class EventPublishingException extends RuntimeException {
    public EventPublishingException(String message, Throwable cause) {
        super(message, cause);
    }
}
