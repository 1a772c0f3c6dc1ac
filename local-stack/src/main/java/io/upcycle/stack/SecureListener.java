package io.upcycle.stack;

import java.nio.file.Path;

/**
 * A {@code SASL_SSL} listener for the embedded broker, as a secured cluster has one: TLS with the
 * certificate in {@code keyStore} (PKCS12), SCRAM logins. For tests of the services' client
 * settings; users are created with {@link EmbeddedKafka#createScramUser}.
 *
 * @param keyStore the broker's key store (PKCS12), its key under the same password
 * @param keyStorePassword the key store's password
 */
public record SecureListener(Path keyStore, String keyStorePassword) {
    @Override
    public String toString() {
        return "SecureListener[" + keyStore + "]";
    }
}
