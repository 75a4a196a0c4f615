package dev.bazaar.platform.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.spi.observability.HttpRequest;

import java.util.regex.Pattern;

/**
 * The {@value #TAG} label of outgoing HTTP calls ({@code vertx_http_client_*}): the request path
 * as a template, every identifier-like segment replaced by {@code :id} and the query dropped, so
 * {@code /api/v1/orders/4f1c...?x=1} and {@code /api/v1/orders/9a0b...} are both
 * {@code /api/v1/orders/:id}. (Server metrics get their templates from the router instead.)
 */
public final class HttpClientRoutes {
  public static final String TAG = "route";
  static final int MAX_SEGMENTS = 8;
  private static final Pattern WORD = Pattern.compile("[A-Za-z._~-]{1,40}");
  private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}");

  private HttpClientRoutes() {
  }

  /** For {@code MicrometerMetricsOptions#setClientRequestTagsProvider}. */
  public static Iterable<Tag> tags(HttpRequest request) {
    return Tags.of(TAG, template(request.uri()));
  }

  public static String template(String uri) {
    if (uri == null || uri.isEmpty()) {
      return "/";
    }
    String path = uri;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int end = path.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = path.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    path = path.substring(0, end);
    StringBuilder template = new StringBuilder(path.length());
    String[] segments = path.split("/", -1);
    int kept = 0;
    for (int i = 1; i < segments.length; i++) {
      if (++kept > MAX_SEGMENTS) {
        template.append("/*");
        break;
      }
      String segment = segments[i];
      template.append('/').append(segment.isEmpty() || WORD.matcher(segment).matches() || VERSION.matcher(segment).matches()
        ? segment
        : ":id");
    }
    return template.length() == 0 ? "/" : template.toString();
  }
}
