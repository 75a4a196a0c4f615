package dev.bazaar.platform.resilience;

import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.discovery.ServiceRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The resilient client against a real local HTTP server published in a real (local) discovery. */
class ServiceClientTest {
  static final ClientSettings SETTINGS = new ClientSettings(1000, 3, 10, 50, 2000, 3, 60_000, 8, 16);

  Vertx vertx;
  ServiceRegistry registry;
  CircuitBreakers breakers;
  ServiceClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = await(ServiceRegistry.create(vertx));
    breakers = new CircuitBreakers(vertx, SETTINGS);
    client = new ServiceClient(vertx, registry, breakers, SETTINGS);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aServiceWithNoInstanceFailsFastWithoutOpeningItsBreaker() throws Exception {
    for (int i = 0; i < 10; i++) {
      Throwable failure = failure(client.send("late", UpstreamRequest.get("/ping")));
      assertThat(failure).isInstanceOf(NoInstanceAvailableException.class);
    }
    assertThat(breakers.state("late")).isEqualTo(CircuitBreakerState.CLOSED);

    // the first instance to appear is called at once, not after the breaker's reset timeout (60 s here)
    HttpServer server = await(vertx.createHttpServer()
      .requestHandler(request -> request.response().end("pong"))
      .listen(0, "127.0.0.1"));
    await(registry.publishHttp("late", "127.0.0.1", server.actualPort()));
    UpstreamResponse response = await(client.send("late", UpstreamRequest.get("/ping")));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().toString()).isEqualTo("pong");
  }

  @Test
  void anInstanceWhoseAnnouncementWasMissedIsFoundInTheBackend() throws Exception {
    HttpServer server = await(vertx.createHttpServer()
      .requestHandler(request -> request.response().end("found"))
      .listen(0, "127.0.0.1"));
    // published by another node whose announcement this registry never received
    io.vertx.servicediscovery.ServiceDiscovery other = io.vertx.servicediscovery.ServiceDiscovery.create(vertx,
      new io.vertx.servicediscovery.ServiceDiscoveryOptions().setAnnounceAddress("elsewhere"));
    await(other.publish(io.vertx.servicediscovery.types.HttpEndpoint.createRecord("unannounced", "127.0.0.1",
      server.actualPort(), "/", new io.vertx.core.json.JsonObject().put("instanceId", "unannounced-1")
        .put("heartbeatAt", System.currentTimeMillis()))));
    assertThat(registry.instances("unannounced")).isEmpty();

    UpstreamResponse response = await(client.send("unannounced", UpstreamRequest.get("/ping")));
    assertThat(response.body().toString()).isEqualTo("found");
  }

  @Test
  void anInstanceThatKeepsFailingIsNoLongerCalled() throws Exception {
    java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer server = await(vertx.createHttpServer()
      .requestHandler(request -> {
        hits.incrementAndGet();
        request.response().setStatusCode(503).end();
      })
      .listen(0, "127.0.0.1"));
    await(registry.publishHttp("broken", "127.0.0.1", server.actualPort()));
    // an idempotent GET answered 503 is retried up to maxAttempts (3); the third failure opens the instance's breaker
    assertThat(await(client.send("broken", UpstreamRequest.get("/ping"))).status()).isEqualTo(503);
    assertThat(hits.get()).isEqualTo(3);
    for (int i = 0; i < 5; i++) {
      assertThat(failure(client.send("broken", UpstreamRequest.get("/ping")))).isNotNull();
    }
    assertThat(hits.get()).isEqualTo(3);
    assertThat(breakers.states()).containsValue(CircuitBreakerState.OPEN);
  }
}
