package io.upcycle.config;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * Which configuration values are secrets, so that no log line, error, help text or exported file
 * shows them: keys of type {@code PASSWORD}, and keys whose names say they hold one (passwords,
 * tokens, JAAS configs, user info, credentials, private keys, and names close to those), whatever
 * their declared type.
 */
public final class Secrets {
    /** Generous on purpose: it also catches a mistyped secret's name ({@code pasword}), where showing a value less costs nothing. */
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(pas|pwd|secret|token|jaas|user\\.info|cred|private|\\.key$).*");

    private Secrets() {
    }

    /** Whether {@code key}'s name says it holds a secret. */
    public static boolean named(String key) {
        return SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** {@code value} as it may be shown: {@link Password#HIDDEN} when {@code key} is named as a secret. */
    public static Object shown(String key, Object value) {
        return value != null && named(key) ? Password.HIDDEN : value;
    }
}
