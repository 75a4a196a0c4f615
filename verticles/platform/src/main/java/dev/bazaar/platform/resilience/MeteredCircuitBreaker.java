package dev.bazaar.platform.resilience;

import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.FailurePolicy;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A vertx-circuit-breaker that reports to Micrometer what its event-bus notifications would tell
 * (they stay off: they would flood the clustered event bus): its state (from its own transition
 * handlers), every call by {@link ResilienceMetrics.Outcome}, and its transitions. All other
 * behaviour is the wrapped breaker's.
 */
final class MeteredCircuitBreaker implements CircuitBreaker {
  private static final Handler<Void> NOTHING = v -> { };

  private final CircuitBreaker delegate;
  private final AtomicLong state;
  private final Map<ResilienceMetrics.Outcome, Counter> calls = new EnumMap<>(ResilienceMetrics.Outcome.class);
  private volatile Handler<Void> onOpen = NOTHING;
  private volatile Handler<Void> onHalfOpen = NOTHING;
  private volatile Handler<Void> onClose = NOTHING;

  MeteredCircuitBreaker(CircuitBreaker delegate, ResilienceMetrics metrics) {
    this.delegate = delegate;
    MeterRegistry registry = metrics.registry();
    Tags tags = ResilienceMetrics.tags(delegate.name());
    state = Metrics.gauge(registry, ResilienceMetrics.STATE, "Circuit breaker state: 0 closed, 1 half-open, 2 open", tags);
    state.set(ResilienceMetrics.code(delegate.state()));
    for (ResilienceMetrics.Outcome outcome : ResilienceMetrics.Outcome.values()) {
      calls.put(outcome, Counter.builder(ResilienceMetrics.CALLS).description("Calls through a circuit breaker, by outcome")
        .tags(tags).tag("outcome", outcome.label()).register(registry));
    }
    Counter opened = transitions(registry, tags, "open");
    Counter halfOpened = transitions(registry, tags, "half_open");
    Counter closed = transitions(registry, tags, "closed");
    delegate.openHandler(v -> {
      moved(CircuitBreakerState.OPEN, opened);
      onOpen.handle(v);
    });
    delegate.halfOpenHandler(v -> {
      moved(CircuitBreakerState.HALF_OPEN, halfOpened);
      onHalfOpen.handle(v);
    });
    delegate.closeHandler(v -> {
      moved(CircuitBreakerState.CLOSED, closed);
      onClose.handle(v);
    });
  }

  private static Counter transitions(MeterRegistry registry, Tags tags, String to) {
    return Counter.builder(ResilienceMetrics.TRANSITIONS).description("Circuit breaker transitions, by the state entered")
      .tags(tags).tag("state", to).register(registry);
  }

  private void moved(CircuitBreakerState to, Counter transitions) {
    state.set(ResilienceMetrics.code(to));
    transitions.increment();
  }

  private <T> Future<T> counted(Future<T> result) {
    return result.onComplete(ar -> calls.get(ResilienceMetrics.Outcome.of(ar.cause())).increment());
  }

  /** A call with a fallback succeeds even when it failed: count the failure the fallback replaced. */
  private <T> Future<T> counted(Function<Function<Throwable, T>, Future<T>> call, Function<Throwable, T> fallback) {
    AtomicBoolean replaced = new AtomicBoolean();
    return call.apply(error -> {
      replaced.set(true);
      calls.get(ResilienceMetrics.Outcome.of(error)).increment();
      return fallback.apply(error);
    }).onComplete(ar -> {
      if (!replaced.get()) {
        calls.get(ResilienceMetrics.Outcome.of(ar.cause())).increment();
      }
    });
  }

  @Override
  public <T> Future<T> execute(Supplier<Future<T>> command) {
    return counted(delegate.execute(command));
  }

  @Override
  public <T> Future<T> execute(Handler<Promise<T>> command) {
    return counted(delegate.execute(command));
  }

  @Override
  public <T> Future<T> executeWithFallback(Handler<Promise<T>> command, Function<Throwable, T> fallback) {
    return counted(f -> delegate.executeWithFallback(command, f), fallback);
  }

  @Override
  public <T> Future<T> executeWithFallback(Supplier<Future<T>> command, Function<Throwable, T> fallback) {
    return counted(f -> delegate.executeWithFallback(command, f), fallback);
  }

  @Override
  public <T> CircuitBreaker executeAndReport(Promise<T> resultPromise, Handler<Promise<T>> command) {
    Promise<T> result = Promise.promise();
    counted(result.future()).onComplete(resultPromise);
    delegate.executeAndReport(result, command);
    return this;
  }

  @Override
  public <T> CircuitBreaker executeAndReportWithFallback(Promise<T> resultPromise, Handler<Promise<T>> command,
                                                         Function<Throwable, T> fallback) {
    Promise<T> result = Promise.promise();
    counted(f -> {
      delegate.executeAndReportWithFallback(result, command, f);
      return result.future();
    }, fallback).onComplete(resultPromise);
    return this;
  }

  @Override
  public CircuitBreaker openHandler(Handler<Void> handler) {
    onOpen = handler == null ? NOTHING : handler;
    return this;
  }

  @Override
  public CircuitBreaker halfOpenHandler(Handler<Void> handler) {
    onHalfOpen = handler == null ? NOTHING : handler;
    return this;
  }

  @Override
  public CircuitBreaker closeHandler(Handler<Void> handler) {
    onClose = handler == null ? NOTHING : handler;
    return this;
  }

  @Override
  public <T> CircuitBreaker fallback(Function<Throwable, T> handler) {
    delegate.fallback(handler);
    return this;
  }

  @Override
  public <T> CircuitBreaker failurePolicy(FailurePolicy<T> failurePolicy) {
    delegate.failurePolicy(failurePolicy);
    return this;
  }

  @Override
  public CircuitBreaker retryPolicy(RetryPolicy retryPolicy) {
    delegate.retryPolicy(retryPolicy);
    return this;
  }

  @Override
  public CircuitBreaker close() {
    delegate.close();
    return this;
  }

  @Override
  public CircuitBreaker reset() {
    delegate.reset();
    return this;
  }

  @Override
  public CircuitBreaker open() {
    delegate.open();
    return this;
  }

  @Override
  public CircuitBreakerState state() {
    return delegate.state();
  }

  @Override
  public long failureCount() {
    return delegate.failureCount();
  }

  @Override
  public String name() {
    return delegate.name();
  }
}
