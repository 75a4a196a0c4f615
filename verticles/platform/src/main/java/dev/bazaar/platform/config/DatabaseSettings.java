package dev.bazaar.platform.config;

/** The service's own PostgreSQL database and role. */
public record DatabaseSettings(String host, int port, String database, String user, String password,
                               int poolSize, int maxWaitQueue) {

  public static DatabaseSettings from(ConfigReader db) {
    return new DatabaseSettings(
      db.optionalString("host", "127.0.0.1"),
      db.integer("port", 15432, 1, 65535),
      db.string("database"),
      db.string("user"),
      db.string("password"),
      db.integer("poolSize", 8, 1, 200),
      db.integer("maxWaitQueue", 512, 1, 100_000));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + ", pool " + poolSize + "]";
  }
}
