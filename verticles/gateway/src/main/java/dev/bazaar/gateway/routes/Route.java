package dev.bazaar.gateway.routes;

import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * One line of the routing table: requests under {@code prefix} go to {@code service} over HTTP
 * (found in discovery) or to {@code address} over the clustered event bus. A route is public
 * for all methods ({@code public: true}) or for some ({@code publicMethods}); otherwise it needs a token.
 * {@code timeoutMs} bounds each attempt of an HTTP call (0: the client's timeout), for routes whose
 * work takes longer than a read (placing an order is a transaction, and is not repeated blindly).
 */
public record Route(String prefix, String service, String address, boolean allPublic, Set<HttpMethod> publicMethods, long timeoutMs) {

  public boolean isPublic(HttpMethod method) {
    return allPublic || publicMethods.contains(method);
  }

  public boolean viaEventBus() {
    return address != null;
  }

  /** Does {@code path} fall under this route (the prefix itself, or below it at a segment boundary)? */
  public boolean matches(String path) {
    return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
  }
}
