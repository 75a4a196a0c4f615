package dev.bazaar.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
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

    /** Where the generated password of {@code role} is kept: {@code $BAZAAR_HOME/secrets/db-<role>}, 0600. */
    public static Path passwordFile(String role) {
        return Env.home().resolve("secrets").resolve("db-" + role);
    }

    /**
     * The role's password: env {@code BAZAAR_DB_PASSWORD_<ROLE>}, else the one generated at first
     * start into {@link #passwordFile} (32 random bytes, base64url), which the services read.
     */
    public static String password(String role) {
        String fromEnv = System.getenv(passwordEnvName(role));
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        try {
            return generatedPassword(passwordFile(role));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the password of " + role + " in " + passwordFile(role), e);
        }
    }

    static String generatedPassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        Files.createDirectories(file.getParent());
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temp = Files.createTempFile(file.getParent(), "db", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, password, StandardCharsets.UTF_8);
            // a hard link appears atomically and only if the name is free: two provisioners agree on one password
            Files.createLink(file, temp);
            return password;
        } catch (FileAlreadyExistsException e) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
