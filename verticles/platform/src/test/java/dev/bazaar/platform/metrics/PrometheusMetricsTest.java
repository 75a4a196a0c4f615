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
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.bazaar.platform.testing.TestBed.await;
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

  private HttpClientResponse get(String uri) throws Exception {
    return await(client.request(HttpMethod.GET, port, "127.0.0.1", uri)
      .compose(request -> request.send())
      .compose(response -> response.body().map(body -> response)));
  }

  private List<String> scrape() throws Exception {
    Buffer body = await(client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
      .compose(request -> request.send())
      .compose(HttpClientResponse::body));
    return Arrays.asList(body.toString().split("\n"));
  }
}
