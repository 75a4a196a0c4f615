package dev.bazaar.infra;

import java.util.List;
import java.util.Locale;

/**
 * The one list of per-service databases. Each entry is both the database name and the name of
 * the LOGIN role that owns it; the role can connect to that database only.
 */
public final class ServiceDatabases {

    /** Database name == role name, one per service that keeps data. */
    public static final List<String> NAMES = List.of(
            "user_service",
            "product_service",
            "inventory_service",
            "order_service",
            "payment_service",
            "notification_service");

    /** Prefix of the env variable that overrides a role's password, e.g. BAZAAR_DB_PASSWORD_USER_SERVICE. */
    public static final String PASSWORD_ENV_PREFIX = "BAZAAR_DB_PASSWORD_";

    private ServiceDatabases() {
    }

    /** The env variable holding the password of {@code role}. */
    public static String passwordEnvName(String role) {
        return PASSWORD_ENV_PREFIX + role.toUpperCase(Locale.ROOT);
    }

    /** The role's password: env {@code BAZAAR_DB_PASSWORD_<ROLE>} or, for local use, the role name itself. */
    public static String password(String role) {
        String fromEnv = System.getenv(passwordEnvName(role));
        return fromEnv == null || fromEnv.isEmpty() ? role : fromEnv;
    }
}
