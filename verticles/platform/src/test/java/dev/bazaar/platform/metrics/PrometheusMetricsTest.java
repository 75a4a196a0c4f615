package dev.bazaar.platform.metrics;

import dev.bazaar.platform.boot.BazaarApplication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.until;
import static org.assertj.core.api.Assertions.assertThat;

/** What {@code /metrics} shows of a Vert.x started with {@link BazaarApplication#metricsOptions()}. */
class PrometheusMetricsTest {
  static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  Vertx vertx;
  HttpClient client;
  int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    Router router = Router.router(vertx);
    router.get("/api/v1/orders/:id").handler(ctx -> ctx.response().end("{}"));
    Metrics.mount(router);
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    port = server.actualPort();
    client = vertx.createHttpClient();
    vertx.eventBus().consumer("metrics.test", message -> message.reply("pong"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void latenciesAreHistogramsByRouteTemplateAndNothingShowsARawId() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/v1/orders/" + UUID.randomUUID() + "?page=" + i).statusCode()).isEqualTo(200);
    }
    await(vertx.eventBus().request("metrics.test", "ping"));
    List<String> lines = scrape();

    assertThat(lines).anyMatch(l -> l.startsWith("vertx_http_server_response_time_seconds_bucket{")
      && l.contains("route=\"/api/v1/orders/:id\"") && l.contains("le=\"0.005\""));
    assertThat(lines).anyMatch(l -> l.startsWith("vertx_http_client_response_time_seconds_bucket{")
      && l.contains("route=\"/api/v1/orders/:id\"") && l.contains("le=\"+Inf\""));
    // only the latency timers are histograms
    assertThat(lines).noneMatch(l -> l.startsWith("vertx_http_server_response_bytes_bucket"));
    assertThat(lines).noneMatch(l -> l.startsWith("jvm_gc_pause_seconds_bucket"));
    assertThat(lines).anyMatch(l -> l.startsWith("vertx_eventbus_processed_total{") && l.contains("address=\"metrics.test\""));
    assertThat(lines).noneMatch(l -> !l.startsWith("#") && UUID_TEXT.matcher(l).find());
  }

  /**
   * One GET, each attempt bounded by a 10 s idle timeout and tried again until 60 s have passed. Twice
   * in CI the first request of a fresh Vert.x got no answer for 60 s (the server saw the connection,
   * no event loop was blocked; cause not found). This test is about metric names, so a lost first
   * request is retried and said, not fatal.
   */
  private HttpClientResponse get(String uri) throws Exception {
    AtomicReference<HttpClientResponse> answered = new AtomicReference<>();
    until("GET " + uri + " answered", Duration.ofSeconds(60), () -> {
      try {
        answered.set(await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI(uri).setIdleTimeout(10_000))
          .compose(request -> request.send())
          .compose(response -> response.body().map(body -> response)), Duration.ofSeconds(15)));
        return true;
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("GET " + uri + " failed, trying again: " + (e.getCause() != null ? e.getCause() : e));
        return false;
      }
    });
    return answered.get();
  }

  private List<String> scrape() throws Exception {
    Buffer body = await(client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
      .compose(request -> request.send())
      .compose(HttpClientResponse::body));
    return Arrays.asList(body.toString().split("\n"));
  }
}
