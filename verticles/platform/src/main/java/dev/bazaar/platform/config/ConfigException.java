package dev.bazaar.platform.config;

/** A configuration value is missing or invalid; the message names the key and what was expected. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
