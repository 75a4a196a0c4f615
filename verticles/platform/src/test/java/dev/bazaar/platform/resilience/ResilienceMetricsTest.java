package dev.bazaar.platform.resilience;

import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.discovery.ServiceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.failure;
import static org.awaitility.Awaitility.with;
import static org.assertj.core.api.Assertions.assertThat;

/** Breakers and retries as Micrometer sees them: state, calls by outcome, transitions, retries. */
class ResilienceMetricsTest {
  static final ClientSettings SETTINGS = new ClientSettings(200, 3, 5, 20, 2000, 2, 300, 8, 16);

  Vertx vertx;
  MeterRegistry registry;
  CircuitBreakers breakers;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    breakers = new CircuitBreakers(vertx, SETTINGS, new ResilienceMetrics(registry));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aBreakerReportsItsStateCallsAndTransitions() throws Exception {
    CircuitBreaker breaker = breakers.forInstance("order-service", "i-1");
    assertThat(state("order-service@i-1")).isEqualTo(0);

    await(breaker.execute(() -> Future.succeededFuture("ok")));
    assertThat(failure(breaker.execute(() -> Future.failedFuture(new IllegalStateException("boom"))))).isNotNull();
    assertThat(failure(breaker.execute(() -> vertx.timer(1000).timeout(10, TimeUnit.MILLISECONDS)))).isNotNull();
    // two failures (maxFailures 2) opened it: the next call does not run
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(state("order-service@i-1")).isEqualTo(2);
    assertThat(failure(breaker.execute(() -> Future.succeededFuture("not run")))).isNotNull();

    assertThat(calls("success")).isEqualTo(1);
    assertThat(calls("failure")).isEqualTo(1);
    assertThat(calls("timeout")).isEqualTo(1);
    assertThat(calls("rejected")).isEqualTo(1);
    assertThat(transitions("open")).isEqualTo(1);
    assertThat(registry.get(ResilienceMetrics.STATE).tag("breaker", "order-service@i-1").gauge().getId().getTag("service"))
      .isEqualTo("order-service");

    // after the reset timeout it lets one trial call through, whose success closes it
    with().atMost(java.time.Duration.ofSeconds(60)).until(() -> breaker.state() == CircuitBreakerState.HALF_OPEN);
    assertThat(state("order-service@i-1")).isEqualTo(1);
    await(breaker.execute(() -> Future.succeededFuture("ok")));
    assertThat(state("order-service@i-1")).isEqualTo(0);
    assertThat(transitions("half_open")).isEqualTo(1);
    assertThat(transitions("closed")).isEqualTo(1);
  }

  @Test
  void aCallAnsweredByAFallbackCountsWhatTheFallbackReplaced() throws Exception {
    CircuitBreaker breaker = breakers.forService("fallback");
    for (int i = 0; i < 2; i++) {
      failure(breaker.execute(() -> Future.failedFuture(new IllegalStateException("boom"))));
    }
    // open: the fallback answers instead
    assertThat(await(breaker.<String>executeWithFallback(() -> Future.succeededFuture("not run"), err -> "fallback")))
      .isEqualTo("fallback");
    assertThat(registry.get(ResilienceMetrics.CALLS).tag("breaker", "fallback").tag("outcome", "failure").counter().count()).isEqualTo(2);
    assertThat(registry.get(ResilienceMetrics.CALLS).tag("breaker", "fallback").tag("outcome", "rejected").counter().count()).isEqualTo(1);
    assertThat(registry.get(ResilienceMetrics.CALLS).tag("breaker", "fallback").tag("outcome", "success").counter().count()).isZero();
  }

  @Test
  void retriesOfTheServiceClientAreCountedPerService() throws Exception {
    ServiceRegistry discovery = await(ServiceRegistry.create(vertx));
    ServiceClient client = new ServiceClient(vertx, discovery, breakers, SETTINGS);
    HttpServer server = await(vertx.createHttpServer()
      .requestHandler(request -> request.response().setStatusCode(503).end())
      .listen(0, "127.0.0.1"));
    await(discovery.publishHttp("flaky", "127.0.0.1", server.actualPort()));
    // an idempotent GET answered 503: three attempts, so two retries
    assertThat(await(client.send("flaky", UpstreamRequest.get("/ping"))).status()).isEqualTo(503);
    assertThat(registry.get(ResilienceMetrics.RETRIES).tag("service", "flaky").counter().count()).isEqualTo(2);
  }

  private double state(String breaker) {
    return registry.get(ResilienceMetrics.STATE).tag("breaker", breaker).gauge().value();
  }

  private double calls(String outcome) {
    return registry.get(ResilienceMetrics.CALLS).tag("breaker", "order-service@i-1").tag("outcome", outcome).counter().count();
  }

  private double transitions(String state) {
    return registry.get(ResilienceMetrics.TRANSITIONS).tag("breaker", "order-service@i-1").tag("state", state).counter().count();
  }
}
