package dev.bazaar.platform.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/** Loads {@code conf/<service>.json} (directory from {@code BAZAAR_CONF_DIR}) with environment placeholders resolved. */
public final class ConfigLoader {
  private ConfigLoader() {
  }

  /**
   * Reads the service's file, or uses {@code inline} when it is not empty (tests and the monolith
   * mode pass configuration directly).
   */
  public static Future<ConfigReader> load(Vertx vertx, String serviceName, JsonObject inline) {
    if (inline != null && !inline.isEmpty()) {
      return Future.succeededFuture(ConfigReader.of(inline, System.getenv()));
    }
    Path file = Path.of(System.getenv().getOrDefault("BAZAAR_CONF_DIR", "conf"), serviceName + ".json");
    return vertx.fileSystem().readFile(file.toString())
      .recover(e -> Future.failedFuture(new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage())))
      .map(buffer -> {
        try {
          return ConfigReader.of(new JsonObject(buffer), System.getenv());
        } catch (DecodeException e) {
          throw new ConfigException(file + " is not valid JSON: " + e.getMessage());
        }
      });
  }
}
