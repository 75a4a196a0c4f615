package dev.bazaar.payment.client;

import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.resilience.CircuitBreakers;
import dev.bazaar.platform.resilience.ResilienceMetrics;
import dev.bazaar.platform.resilience.RetryPolicy;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The external payment provider over HTTP (see verticles/payment-provider/README.md). Every call is
 * bounded by {@code provider.timeoutMs} and goes through the circuit breaker
 * {@value #BREAKER}: 5xx answers, transport failures and timeouts count against it, definitive
 * answers (201, 402, 4xx) do not. One call per method, no retries here: the caller retries (charges
 * are idempotent by key, refunds by charge) with {@link #backoff()}, within its own deadline.
 * Failures: {@link ProviderUnavailableException} (transient: breaker open, 5xx, timeout, transport),
 * {@link ProviderRejectedException} (definitive 4xx). The breaker reports to Micrometer like every
 * platform breaker ({@code bazaar_circuit_breaker_*{breaker="payment-provider"}}); the caller's
 * retries are counted when it asks for {@link #retryDelayMs}.
 */
public final class ProviderClient {
  public static final String BREAKER = "payment-provider";

  private final ProviderSettings settings;
  private final HttpClient http;
  private final CircuitBreaker breaker;
  private final RetryPolicy backoff;
  private final ResilienceMetrics metrics;

  public ProviderClient(Vertx vertx, ProviderSettings settings) {
    this.settings = settings;
    ClientSettings calls = settings.calls();
    this.http = vertx.createHttpClient(
      new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setTcpNoDelay(true)
        .setSsl(settings.ssl())
        .setConnectTimeout((int) Math.min(calls.timeoutMs(), 1000))
        .setIdleTimeout(60),
      new PoolOptions().setHttp1MaxSize(calls.poolSize()).setMaxWaitQueueSize(calls.maxWaitQueue()));
    CircuitBreakers breakers = new CircuitBreakers(vertx, calls);
    this.breaker = breakers.forService(BREAKER);
    this.metrics = breakers.metrics();
    this.backoff = new RetryPolicy(Integer.MAX_VALUE, calls.backoffBaseMs(), calls.backoffCapMs(), Long.MAX_VALUE);
  }

  /** Exponential backoff with full jitter between attempts; the caller bounds attempts by its deadline. */
  public RetryPolicy backoff() {
    return backoff;
  }

  /**
   * The wait before retry {@code attempt} (1 = first retry) of a call that failed transiently:
   * {@link #backoff()}'s jittered delay, and one more {@code bazaar_client_retries_total{service="payment-provider"}}.
   */
  public long retryDelayMs(int attempt) {
    metrics.retried(BREAKER);
    return backoff.delayMs(attempt);
  }

  public CircuitBreakerState breakerState() {
    return breaker.state();
  }

  /** {@code POST /v1/charges}: the same key and request always get the same charge. */
  public Future<ChargeReply> charge(String idempotencyKey, String token, long amountCents, String currency) {
    JsonObject body = new JsonObject().put("idempotencyKey", idempotencyKey).put("token", token)
      .put("amountCents", amountCents).put("currency", currency);
    return call(HttpMethod.POST, "/v1/charges", body).compose(reply -> chargeReply(reply.status(), reply.body()));
  }

  /** {@code GET /v1/charges?idempotencyKey=}: the charge made under the key, if any. */
  public Future<Optional<JsonObject>> chargeByKey(String idempotencyKey) {
    String uri = "/v1/charges?idempotencyKey=" + URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8);
    return call(HttpMethod.GET, uri, null).compose(reply -> switch (reply.status()) {
      case 200 -> Future.succeededFuture(Optional.of(reply.json()));
      case 404 -> Future.succeededFuture(Optional.<JsonObject>empty());
      default -> Future.failedFuture(new ProviderRejectedException(reply.status(), "charge lookup answered " + reply.status()));
    });
  }

  /** {@code POST /v1/refunds}: the refund's id (a second refund of a charge returns the first). */
  public Future<String> refund(String chargeId) {
    return call(HttpMethod.POST, "/v1/refunds", new JsonObject().put("chargeId", chargeId))
      .compose(reply -> reply.status() == 201
        ? Future.succeededFuture(reply.json().getString("id"))
        : Future.failedFuture(new ProviderRejectedException(reply.status(), "refund of " + chargeId + " answered "
          + reply.status() + ": " + reply.body())));
  }

  public Future<Void> close() {
    return http.close();
  }

  /** The provider's answer to a charge, by status. */
  static Future<ChargeReply> chargeReply(int status, Buffer body) {
    switch (status) {
      case 201: {
        String id = json(body).getString("id");
        return id == null
          ? Future.failedFuture(new ProviderUnavailableException("a charge without an id"))
          : Future.succeededFuture(new ChargeReply.Charged(id));
      }
      case 402:
        return Future.succeededFuture(new ChargeReply.Declined(detail(body, "card_declined")));
      case 400:
        return Future.succeededFuture(new ChargeReply.Declined(detail(body, "rejected")));
      case 409:
        return Future.succeededFuture(new ChargeReply.KeyReused());
      default:
        // 404, 405, 413 ...: a misconfigured URL or proxy; not the card's fault: retried until the deadline
        return Future.failedFuture(new ProviderUnavailableException("charge answered " + status));
    }
  }

  private record Reply(int status, Buffer body) {
    JsonObject json() {
      return ProviderClient.json(body);
    }
  }

  /** One exchange under the breaker and the timeout; a 5xx is a failure (it counts), any other status an answer. */
  private Future<Reply> call(HttpMethod method, String path, JsonObject body) {
    return breaker.<Reply>execute(() -> exchange(method, path, body))
      .recover(err -> Future.failedFuture(err instanceof ProviderUnavailableException
        ? err
        : new ProviderUnavailableException(method + " " + path + ": " + err, err)));
  }

  private Future<Reply> exchange(HttpMethod method, String path, JsonObject body) {
    RequestOptions options = new RequestOptions()
      .setMethod(method)
      .setHost(settings.host())
      .setPort(settings.port())
      .setSsl(settings.ssl())
      .setURI(settings.basePath() + path)
      .setIdleTimeout(settings.calls().timeoutMs());
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
      .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
      .compose(response -> response.body().map(buffer -> new Reply(response.statusCode(), buffer)))
      .timeout(settings.calls().timeoutMs(), TimeUnit.MILLISECONDS)
      .compose(reply -> reply.status() >= 500
        ? Future.failedFuture(new ProviderUnavailableException(method + " " + path + " answered " + reply.status()))
        : Future.succeededFuture(reply));
  }

  private static JsonObject json(Buffer body) {
    try {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static String detail(Buffer body, String fallback) {
    JsonObject json = json(body);
    String reason = json.getString("reason");
    if (reason != null) {
      return reason;
    }
    String type = json.getString("type");
    return type != null ? type.substring(type.lastIndexOf('/') + 1) : fallback;
  }
}
