package dev.bazaar.platform.resilience;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * A call to another service. {@code idempotent} decides whether it may be retried after it may
 * have reached the upstream; a call that never left (connection refused) is always retried.
 * {@code timeoutMs} bounds each attempt; 0 means the client's configured timeout.
 */
public record UpstreamRequest(HttpMethod method, String uri, MultiMap headers, Buffer body, boolean idempotent, long timeoutMs) {

  public UpstreamRequest(HttpMethod method, String uri, MultiMap headers, Buffer body, boolean idempotent) {
    this(method, uri, headers, body, idempotent, 0);
  }

  public static UpstreamRequest get(String uri) {
    return new UpstreamRequest(HttpMethod.GET, uri, MultiMap.caseInsensitiveMultiMap(), null, true);
  }
}
