package io.upcycle.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with the serdes of its key and value. Topologies and clients take serdes from here and
 * never build one inline.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    /** The registry subject of this topic's values (Confluent's TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }
}
