package dev.bazaar.platform.resilience;

import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.ConnectException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls a service by name: round-robin over its live instances in discovery, skipping those whose
 * breaker is open; each attempt under the instance's circuit breaker and a timeout; retries with
 * exponential backoff and full jitter on another instance when that is safe (idempotent call, or
 * a call that never left); the whole call under the service's breaker. Fails fast when no
 * instance can take the call. One per event loop (it owns an HttpClient); registry and breakers are shared.
 */
public final class ServiceClient {
  private final Vertx vertx;
  private final HttpClient http;
  private final ServiceRegistry registry;
  private final CircuitBreakers breakers;
  private final ClientSettings settings;
  private final RetryPolicy retry;
  private final AtomicInteger next = new AtomicInteger();

  public ServiceClient(Vertx vertx, ServiceRegistry registry, CircuitBreakers breakers, ClientSettings settings) {
    this.vertx = vertx;
    this.registry = registry;
    this.breakers = breakers;
    this.settings = settings;
    this.retry = new RetryPolicy(settings.maxAttempts(), settings.backoffBaseMs(), settings.backoffCapMs(), settings.retryBudgetMs());
    this.http = vertx.createHttpClient(
      new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(settings.timeoutMs(), 1000))
        .setIdleTimeout(60),
      new PoolOptions().setHttp1MaxSize(settings.poolSize()).setMaxWaitQueueSize(settings.maxWaitQueue()));
  }

  public Future<UpstreamResponse> send(String service, UpstreamRequest request) {
    if (registry.instances(service).isEmpty()) {
      // Nothing to protect: an absent service must not open its breaker, or it would stay
      // unreachable for the reset timeout after its first instance appears (e.g. at start).
      // Discovery is asked again first, in case this node missed the instance's announcement.
      return registry.instancesOrReload(service).compose(found -> found.isEmpty()
        ? Future.failedFuture(noInstance(service))
        : guarded(service, request));
    }
    return guarded(service, request);
  }

  private Future<UpstreamResponse> guarded(String service, UpstreamRequest request) {
    long start = System.currentTimeMillis();
    return breakers.forService(service)
      .<UpstreamResponse>execute(() -> attempt(service, request, 1, start, new HashSet<>(), null))
      .recover(error -> error instanceof UpstreamStatusException status
        ? Future.succeededFuture(status.response())
        : Future.failedFuture(error));
  }

  /** One direct call to {@code instance}, no retry, no breaker: for probes that must not count as traffic. */
  public Future<UpstreamResponse> probe(ServiceInstance instance, String uri) {
    return exchange(instance, UpstreamRequest.get(uri)).recover(error -> error instanceof UpstreamStatusException status
      ? Future.succeededFuture(status.response())
      : Future.failedFuture(error));
  }

  public Future<Void> close() {
    return http.close();
  }

  private Future<UpstreamResponse> attempt(String service, UpstreamRequest request, int attempt, long start,
                                           Set<String> tried, Throwable lastError) {
    ServiceInstance instance = pick(service, tried);
    if (instance == null) {
      return Future.failedFuture(lastError != null ? lastError : noInstance(service));
    }
    tried.add(instance.instanceId());
    CircuitBreaker breaker = breakers.forInstance(service, instance.instanceId());
    return breaker.<UpstreamResponse>execute(() -> exchange(instance, request))
      .recover(error -> {
        if (!retryable(error, request)) {
          return Future.failedFuture(error);
        }
        long delay = retry.delayMs(attempt);
        if (!retry.allows(attempt + 1, System.currentTimeMillis() - start, delay)) {
          return Future.failedFuture(error);
        }
        breakers.metrics().retried(service);
        Future<Void> pause = delay < 1 ? Future.succeededFuture() : vertx.timer(delay).mapEmpty();
        return pause.compose(v -> attempt(service, request, attempt + 1, start, tried, error));
      });
  }

  private Future<UpstreamResponse> exchange(ServiceInstance instance, UpstreamRequest request) {
    long timeoutMs = request.timeoutMs() > 0 ? request.timeoutMs() : settings.timeoutMs();
    RequestOptions options = new RequestOptions()
      .setMethod(request.method())
      .setHost(instance.host())
      .setPort(instance.port())
      .setURI(request.uri())
      .setIdleTimeout(timeoutMs);
    if (request.headers() != null) {
      options.setHeaders(request.headers());
    }
    return http.request(options)
      .compose(outgoing -> request.body() == null ? outgoing.send() : outgoing.send(request.body()))
      .compose(response -> response.body()
        .map(body -> new UpstreamResponse(response.statusCode(), response.headers(), body, instance)))
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .compose(response -> response.status() >= 500
        ? Future.failedFuture(new UpstreamStatusException(response))
        : Future.succeededFuture(response));
  }

  /** Next instance in round-robin order not tried yet (all again once each was tried) whose breaker is not open. */
  private ServiceInstance pick(String service, Set<String> tried) {
    List<ServiceInstance> instances = registry.instances(service);
    int size = instances.size();
    if (size == 0) {
      return null;
    }
    boolean allTried = !tried.isEmpty() && allTried(instances, tried);
    int offset = Math.floorMod(next.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      ServiceInstance candidate = instances.get((offset + i) % size);
      boolean open = breakers.forInstance(service, candidate.instanceId()).state() == CircuitBreakerState.OPEN;
      if (!open && (allTried || !tried.contains(candidate.instanceId()))) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean allTried(List<ServiceInstance> instances, Set<String> tried) {
    for (ServiceInstance instance : instances) {
      if (!tried.contains(instance.instanceId())) {
        return false;
      }
    }
    return true;
  }

  private NoInstanceAvailableException noInstance(String service) {
    return new NoInstanceAvailableException(service, registry.instances(service).isEmpty()
      ? "no instance in discovery"
      : "every instance's circuit breaker is open");
  }

  static boolean retryable(Throwable error, UpstreamRequest request) {
    if (neverSent(error)) {
      return true;
    }
    if (!request.idempotent()) {
      return false;
    }
    if (error instanceof UpstreamStatusException status) {
      int code = status.response().status();
      return code == 502 || code == 503 || code == 504;
    }
    // an idempotent call may be repeated after any transport failure: reset, closed, timed out
    return true;
  }

  static boolean neverSent(Throwable error) {
    return error instanceof ConnectException
      || error instanceof OpenCircuitException
      || error instanceof io.netty.channel.ConnectTimeoutException
      || error instanceof NoInstanceAvailableException;
  }

  public static boolean isTimeout(Throwable error) {
    return error instanceof TimeoutException
      || error instanceof io.vertx.circuitbreaker.TimeoutException
      || error.getClass().getSimpleName().contains("Timeout");
  }
}
