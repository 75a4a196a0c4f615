package dev.bazaar.platform.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The service's own PostgreSQL database and role. The password is {@code password} when given
 * (from {@code BAZAAR_DB_PASSWORD_<ROLE>}), else the content of {@code passwordFile}, which
 * provisioning generates at first start ({@code $BAZAAR_HOME/secrets/db-<role>}); never a default.
 */
public record DatabaseSettings(String host, int port, String database, String user, String password,
                               int poolSize, int maxWaitQueue) {

  public static DatabaseSettings from(ConfigReader db) {
    return new DatabaseSettings(
      db.optionalString("host", "127.0.0.1"),
      db.integer("port", 15432, 1, 65535),
      db.string("database"),
      db.string("user"),
      password(db),
      db.integer("poolSize", 8, 1, 200),
      db.integer("maxWaitQueue", 512, 1, 100_000));
  }

  private static String password(ConfigReader db) {
    String given = db.optionalString("password", "");
    if (!given.isEmpty()) {
      return given;
    }
    String file = db.optionalString("passwordFile", "");
    if (file.isEmpty()) {
      throw new ConfigException("db.password is missing (set BAZAAR_DB_PASSWORD_<ROLE>, or db.passwordFile)");
    }
    try {
      // read once at start, before anything is served
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException("db.password: no BAZAAR_DB_PASSWORD_<ROLE> and " + file
        + " cannot be read (it is written when the databases are provisioned: scripts/bazaar up)");
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + ", pool " + poolSize + "]";
  }
}
