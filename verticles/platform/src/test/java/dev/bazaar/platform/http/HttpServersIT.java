package dev.bazaar.platform.http;

import dev.bazaar.platform.config.EdgeLimits;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.testing.RawHttp;
import dev.bazaar.platform.testing.RawHttp.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge limits of every Bazaar HTTP server, spoken to over raw sockets (an HTTP client library
 * would refuse to send most of these requests): each answer is a problem, none reaches a route.
 */
class HttpServersIT {
  static Vertx vertx;
  static int port;
  static final EdgeLimits LIMITS = new EdgeLimits(100, 16 * 1024, 8 * 1024, 32, 1000, 2000);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    HttpSettings settings = new HttpSettings("127.0.0.1", 0, "127.0.0.1", 1024 * 1024, 60, LIMITS);
    Router router = HttpServers.router(vertx, settings);
    router.get("/hello").handler(ctx -> Json.send(ctx, 200, new JsonObject().put("hello", "world")));
    router.post("/echo").handler(ctx -> Json.send(ctx, 200, Json.body(ctx)));
    router.get("/ops").handler(new OpsAccess("ops-secret")).handler(ctx -> ctx.response().end("ops"));
    HttpServer server = HttpServers.listen(vertx, router, settings).await(20, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void anOrdinaryRequestIsServed() throws Exception {
    assertThat(exchange(RawHttp.get("/hello", "")).status()).isEqualTo(200);
  }

  @Test
  void moreThanAHundredHeadersIs431() throws Exception {
    assertProblem(exchange(RawHttp.get("/hello", RawHttp.manyHeaders(300))), 431);
  }

  @Test
  void moreThan16KiBOfHeadersIs431() throws Exception {
    assertProblem(exchange(RawHttp.get("/hello", "X-Big: " + "a".repeat(17 * 1024) + "\r\n")), 431);
  }

  @Test
  void aRequestLineOver8KiBIs414() throws Exception {
    assertProblem(exchange(RawHttp.get("/hello?q=" + "a".repeat(9 * 1024), "")), 414);
  }

  @Test
  void aBodyOver1MiBIs413() throws Exception {
    assertProblem(exchange(RawHttp.postJson("/echo", "{\"a\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}", "")), 413);
  }

  @Test
  void jsonNestedDeeperThan32Is400() throws Exception {
    Answer answer = exchange(RawHttp.postJson("/echo", "{\"a\":".repeat(40) + "1" + "}".repeat(40), ""));
    assertProblem(answer, 400);
    assertThat(answer.body()).contains("deeper than 32");
    assertThat(exchange(RawHttp.postJson("/echo", "{\"a\":".repeat(20) + "1" + "}".repeat(20), "")).status()).isEqualTo(200);
  }

  @Test
  void aJsonArrayOverTheLimitIs400() throws Exception {
    Answer answer = exchange(RawHttp.postJson("/echo", "{\"a\":[" + "1,".repeat(1500) + "1]}", ""));
    assertProblem(answer, 400);
    assertThat(answer.body()).contains("more than 1000 items");
  }

  @Test
  void ambiguousPathsAre400BeforeAnyRoute() throws Exception {
    assertProblem(exchange(RawHttp.get("/hello;x=1", "")), 400);
    assertProblem(exchange(RawHttp.get("/x/..%2fhello", "")), 400);
    // dot segments are resolved and the normalized path is routed
    assertThat(exchange(RawHttp.get("/x/%2e%2e/hello", "")).status()).isEqualTo(200);
  }

  @Test
  void garbageIs400() throws Exception {
    assertProblem(exchange("HELLO\r\n\r\n"), 400);
  }

  @Test
  void aBodyThatNeverArrivesIs408() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
      assertProblem(RawHttp.read(socket), 408);
    }
  }

  @Test
  void operationsSurfacesAnswerLoopbackOrTheOpsToken() throws Exception {
    assertThat(exchange(RawHttp.get("/ops", "")).status()).isEqualTo(200);
    // came through a proxy: the loopback peer is the proxy, not the caller
    assertProblem(exchange(RawHttp.get("/ops", "X-Forwarded-For: 203.0.113.9\r\n")), 404);
    assertThat(exchange(RawHttp.get("/ops", "X-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer ops-secret\r\n")).status())
      .isEqualTo(200);
    assertProblem(exchange(RawHttp.get("/ops", "X-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer guess\r\n")), 404);
  }

  private static Answer exchange(String request) throws Exception {
    return RawHttp.exchange(port, request);
  }

  private static void assertProblem(Answer answer, int status) {
    assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(answer.body());
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("traceId")).isNotBlank();
    assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
