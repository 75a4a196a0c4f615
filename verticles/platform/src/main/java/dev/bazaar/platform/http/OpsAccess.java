package dev.bazaar.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards operations surfaces ({@code /metrics}, the provider's {@code /admin/**}): served to a
 * caller on the loopback interface that did not come through a proxy, or to one presenting the
 * operations token ({@code Authorization: Bearer $BAZAAR_OPS_TOKEN}, for scrapers on other hosts);
 * to anyone else they do not exist (404, nothing to probe).
 */
public final class OpsAccess implements Handler<RoutingContext> {
  public static final String TOKEN_ENV = "BAZAAR_OPS_TOKEN";
  private final byte[] token;

  public OpsAccess(String token) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** With the token of {@code BAZAAR_OPS_TOKEN}, if set. */
  public static OpsAccess fromEnvironment() {
    return new OpsAccess(System.getenv(TOKEN_ENV));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (allowed(ctx)) {
      ctx.next();
    } else {
      ctx.fail(ApiException.notFound("No resource at " + ctx.request().path() + "."));
    }
  }

  private boolean allowed(RoutingContext ctx) {
    SocketAddress peer = ctx.request().remoteAddress();
    boolean direct = ctx.request().getHeader("X-Forwarded-For") == null && ctx.request().getHeader("Forwarded") == null;
    if (direct && peer != null && isLoopback(peer.hostAddress())) {
      return true;
    }
    String presented = dev.bazaar.platform.auth.AuthHandler.bearer(ctx);
    return token != null && presented != null
      && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isLoopback(String host) {
    return host != null && (host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1"));
  }
}
