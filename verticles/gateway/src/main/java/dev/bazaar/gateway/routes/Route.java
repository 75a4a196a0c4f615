package dev.bazaar.gateway.routes;

import io.vertx.core.http.HttpMethod;

import java.util.Set;

/**
 * One line of the routing table: requests under {@code prefix} go to {@code service} over HTTP
 * (found in discovery) or to {@code address} over the clustered event bus. A route is public
 * for all methods ({@code public: true}) or for some ({@code publicMethods}); otherwise it needs a token.
 */
public record Route(String prefix, String service, String address, boolean allPublic, Set<HttpMethod> publicMethods) {

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
