package dev.bazaar.infra;

import java.nio.file.Path;

/** Reads the BAZAAR_* environment with the defaults of scripts/bazaar. */
final class Env {

    private Env() {
    }

    static String get(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    static int port(String name, int def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            int p = Integer.parseInt(v);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a port number: " + v);
        }
    }

    /** BAZAAR_HOME, default ./.bazaar (scripts/bazaar always sets it, absolute). */
    static Path home() {
        return Path.of(get("BAZAAR_HOME", ".bazaar")).toAbsolutePath().normalize();
    }
}
