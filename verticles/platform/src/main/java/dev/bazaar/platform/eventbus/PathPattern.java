package dev.bazaar.platform.eventbus;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A route path such as {@code /api/v1/notifications/:id/read}: literal segments match exactly,
 * {@code :name} segments match one non-empty segment and capture it percent-decoded. One trailing
 * slash is ignored, as Vert.x Web does over HTTP.
 */
final class PathPattern {
  private final String pattern;
  private final List<String> segments;

  private PathPattern(String pattern, List<String> segments) {
    this.pattern = pattern;
    this.segments = segments;
  }

  static PathPattern parse(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route path starts with '/': " + pattern);
    }
    List<String> segments = split(pattern);
    Set<String> names = new HashSet<>();
    for (String segment : segments) {
      if (segment.isEmpty() || segment.contains("*") || segment.contains("?")) {
        throw new IllegalArgumentException("unsupported route path " + pattern);
      }
      if (segment.startsWith(":") && (segment.length() == 1 || !names.add(segment.substring(1)))) {
        throw new IllegalArgumentException("route path " + pattern + " has an empty or repeated parameter");
      }
    }
    return new PathPattern(pattern, List.copyOf(segments));
  }

  /** The captured parameters when {@code path} matches, in pattern order. */
  Optional<Map<String, String>> match(String path) {
    if (path == null || !path.startsWith("/")) {
      return Optional.empty();
    }
    List<String> actual = split(path);
    if (actual.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String expected = segments.get(i);
      String segment = actual.get(i);
      if (expected.startsWith(":")) {
        Optional<String> decoded = decode(segment);
        if (decoded.isEmpty() || decoded.get().isEmpty()) {
          return Optional.empty();
        }
        params.put(expected.substring(1), decoded.get());
      } else if (!expected.equals(segment)) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static List<String> split(String path) {
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    List<String> segments = new ArrayList<>(List.of(trimmed.substring(1).split("/", -1)));
    if (segments.size() == 1 && segments.get(0).isEmpty()) {
      segments.clear();
    }
    return segments;
  }

  // URLDecoder decodes '+' to a space, which is right for forms but not for paths.
  private static Optional<String> decode(String segment) {
    try {
      return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
