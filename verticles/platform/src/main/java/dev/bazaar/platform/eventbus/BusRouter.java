package dev.bazaar.platform.eventbus;

import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.TraceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves HTTP requests that the gateway translated onto the event bus ({@link BusRequest} in,
 * {@link BusReply} out) with the same contract as a service's HTTP router: dispatch on method and
 * path pattern, 404 for an unknown path, 405 (with {@code Allow}) for a known path with another
 * method, bearer-token verification for authenticated routes (401 otherwise), and every failure
 * rendered as {@code application/problem+json}; an unexpected one as a 500 without internals,
 * logged with its trace id.
 *
 * <p>Every request gets a regular reply, problems included, never {@code message.fail}: the
 * gateway relays the status as it is, and its breaker does not count a 404 as an outage.
 *
 * <pre>{@code
 * BusRouter.create(vertx, verifier)
 *   .route(HttpMethod.GET, "/api/v1/things/:id", Access.AUTHENTICATED, ctx -> things.get(ctx))
 *   .listen("thing-service.api");
 * }</pre>
 */
public final class BusRouter {
  private static final Logger LOG = LoggerFactory.getLogger(BusRouter.class);

  /** Who may call a route. */
  public enum Access {
    /** Anyone; the handler gets no principal. */
    PUBLIC,
    /** Callers with a valid bearer token; the handler gets its principal. */
    AUTHENTICATED
  }

  private record Route(HttpMethod method, PathPattern path, Access access, BusHandler handler) {
  }

  private final Vertx vertx;
  private final JwtVerifier verifier;
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  private BusRouter(Vertx vertx, JwtVerifier verifier) {
    this.vertx = vertx;
    this.verifier = verifier;
  }

  /** A router verifying tokens with {@code verifier} (may be null when every route is public). */
  public static BusRouter create(Vertx vertx, JwtVerifier verifier) {
    return new BusRouter(Objects.requireNonNull(vertx, "vertx"), verifier);
  }

  /**
   * Adds a route. {@code path} is literal segments and {@code :name} parameters; when several
   * routes match a request, the first added wins.
   */
  public BusRouter route(HttpMethod method, String path, Access access, BusHandler handler) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
    if (access == Access.AUTHENTICATED && verifier == null) {
      throw new IllegalStateException("an authenticated route needs a JwtVerifier: " + path);
    }
    routes.add(new Route(method, PathPattern.parse(path), access, handler));
    return this;
  }

  /**
   * Serves the routes on {@code address}; the future completes once the consumer is registered
   * (cluster-wide when clustered). Registered from a verticle, it goes away with the verticle.
   */
  public Future<MessageConsumer<Object>> listen(String address) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address);
    consumer.handler(message -> dispatch(message.body()).onSuccess(reply -> message.reply(reply.toJson())));
    return consumer.completion().map(consumer);
  }

  /**
   * Answers one translated request (what {@link #listen} does for each message). The future
   * always succeeds: a failure is a problem reply.
   */
  public Future<BusReply> dispatch(Object envelope) {
    BusRequest request;
    try {
      request = BusRequest.fromJson((JsonObject) envelope);
    } catch (ClassCastException | NullPointerException e) {
      return Future.succeededFuture(BusProblems.reply(
        ApiException.badRequest("The event-bus message is not a translated HTTP request."), "/", newTraceId()));
    }
    // the event bus consumer span Vert.x opened for this message, else the request's own traceparent
    var span = dev.bazaar.platform.tracing.Tracing.current();
    String traceId = span.isValid() ? span.getTraceId() : TraceContext.traceIdOf(request.header("traceparent"));
    return answer(request, traceId)
      .compose(reply -> reply == null ? Future.failedFuture(new IllegalStateException("handler replied null")) : Future.succeededFuture(reply))
      .recover(failure -> Future.succeededFuture(problem(request, traceId, failure)));
  }

  private Future<BusReply> answer(BusRequest request, String traceId) {
    Route chosen = null;
    Map<String, String> params = Map.of();
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> match = route.path().match(request.path());
      if (match.isEmpty()) {
        continue;
      }
      allowed.add(route.method().name());
      if (chosen == null && route.method().name().equals(request.method())) {
        chosen = route;
        params = match.get();
      }
    }
    if (allowed.isEmpty()) {
      return Future.failedFuture(BusProblems.notFound(request.path()));
    }
    if (chosen == null) {
      return Future.failedFuture(BusProblems.methodNotAllowed(request.method(), request.path(), String.join(", ", allowed)));
    }
    Route route = chosen;
    Map<String, String> pathParams = params;
    return authenticate(route.access(), request)
      .compose(principal -> invoke(route.handler(), new BusContext(request, principal, pathParams, traceId)));
  }

  private Future<Principal> authenticate(Access access, BusRequest request) {
    if (access == Access.PUBLIC) {
      return Future.succeededFuture(null);
    }
    String token = AuthHandler.bearer(request.header("authorization"));
    if (token == null) {
      return Future.failedFuture(ApiException.unauthorized("A bearer token is required."));
    }
    return verifier.verify(token);
  }

  private static Future<BusReply> invoke(BusHandler handler, BusContext ctx) {
    try {
      Future<BusReply> reply = handler.handle(ctx);
      return reply == null ? Future.failedFuture(new IllegalStateException("handler returned no future")) : reply;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static BusReply problem(BusRequest request, String traceId, Throwable failure) {
    ApiException known = BusProblems.known(failure);
    if (known == null) {
      LOG.error("unhandled failure on {} {} trace={}", request.method(), request.path(), traceId, failure);
      known = BusProblems.internal();
    }
    return BusProblems.reply(known, request.path(), traceId);
  }

  private static String newTraceId() {
    return TraceContext.traceIdOf(null);
  }
}
