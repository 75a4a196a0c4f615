package dev.bazaar.platform.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validating access to a service's JSON configuration.
 *
 * <p>String values may hold {@code ${ENV_NAME:default}} placeholders, resolved against the
 * environment when the file is loaded, so that one file serves local runs and deployments.
 * Every accessor fails with a {@link ConfigException} naming the full key path.
 */
public final class ConfigReader {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}");

  private final JsonObject json;
  private final String path;

  private ConfigReader(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** Resolves placeholders of {@code raw} against {@code env} and wraps the result. */
  public static ConfigReader of(JsonObject raw, Map<String, String> env) {
    return new ConfigReader(resolve(raw, env, ""), "");
  }

  public JsonObject json() {
    return json;
  }

  public ConfigReader section(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new ConfigReader(new JsonObject(), qualified(key));
    }
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(qualified(key) + " must be an object");
    }
    return new ConfigReader(object, qualified(key));
  }

  public List<ConfigReader> sections(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(qualified(key) + " must be an array of objects");
    }
    List<ConfigReader> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw new ConfigException(qualified(key) + "[" + i + "] must be an object");
      }
      result.add(new ConfigReader(object, qualified(key) + "[" + i + "]"));
    }
    return result;
  }

  public String string(String key) {
    String value = optionalString(key, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(qualified(key) + " is required");
    }
    return value;
  }

  public String optionalString(String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s.isEmpty() ? fallback : s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new ConfigException(qualified(key) + " must be a string");
  }

  public List<String> strings(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*"));
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(qualified(key) + " must be an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new ConfigException(qualified(key) + " must be an array of strings");
      }
      result.add(s);
    }
    return List.copyOf(result);
  }

  public int integer(String key, int fallback, int min, int max) {
    long value = longValue(key, fallback, min, max);
    return (int) value;
  }

  public long longValue(String key, long fallback, long min, long max) {
    Object raw = json.getValue(key);
    long value;
    if (raw == null || (raw instanceof String s && s.isEmpty())) {
      value = fallback;
    } else if (raw instanceof Number n) {
      value = n.longValue();
    } else if (raw instanceof String s) {
      try {
        value = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(qualified(key) + " must be a number, got '" + s + "'");
      }
    } else {
      throw new ConfigException(qualified(key) + " must be a number");
    }
    if (value < min || value > max) {
      throw new ConfigException(qualified(key) + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public boolean bool(String key, boolean fallback) {
    Object raw = json.getValue(key);
    if (raw == null || (raw instanceof String s && s.isEmpty())) {
      return fallback;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(qualified(key) + " must be true or false");
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static JsonObject resolve(JsonObject raw, Map<String, String> env, String path) {
    JsonObject out = new JsonObject();
    raw.forEach(entry -> out.put(entry.getKey(), resolveValue(entry.getValue(), env, path + entry.getKey())));
    return out;
  }

  private static Object resolveValue(Object value, Map<String, String> env, String path) {
    if (value instanceof JsonObject object) {
      return resolve(object, env, path + ".");
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(resolveValue(item, env, path)));
      return out;
    }
    if (value instanceof String s) {
      return substitute(s, env, path);
    }
    return value;
  }

  static String substitute(String text, Map<String, String> env, String path) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = env.get(matcher.group(1));
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new ConfigException(path + " needs environment variable " + matcher.group(1));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
