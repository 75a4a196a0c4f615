package dev.bazaar.platform.http;

import dev.bazaar.platform.config.EdgeLimits;
import dev.bazaar.platform.config.HttpSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
    Answer answer = exchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(answer.status).isEqualTo(200);
  }

  @Test
  void moreThanAHundredHeadersIs431() throws Exception {
    StringBuilder request = new StringBuilder("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (int i = 0; i < 300; i++) {
      request.append("X-Header-").append(i).append(": ").append(i).append("\r\n");
    }
    assertProblem(exchange(request.append("\r\n").toString()), 431);
  }

  @Test
  void moreThan16KiBOfHeadersIs431() throws Exception {
    String request = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17 * 1024) + "\r\n\r\n";
    assertProblem(exchange(request), 431);
  }

  @Test
  void aRequestLineOver8KiBIs414() throws Exception {
    String request = "GET /hello?q=" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    assertProblem(exchange(request), 414);
  }

  @Test
  void aBodyOver1MiBIs413() throws Exception {
    String body = "{\"a\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
    assertProblem(exchange(post("/echo", body)), 413);
  }

  @Test
  void jsonNestedDeeperThan32Is400() throws Exception {
    Answer answer = exchange(post("/echo", "{\"a\":".repeat(40) + "1" + "}".repeat(40)));
    assertProblem(answer, 400);
    assertThat(answer.body).contains("deeper than 32");
    assertThat(exchange(post("/echo", "{\"a\":".repeat(20) + "1" + "}".repeat(20))).status).isEqualTo(200);
  }

  @Test
  void aJsonArrayOverTheLimitIs400() throws Exception {
    Answer answer = exchange(post("/echo", "{\"a\":[" + "1,".repeat(1500) + "1]}"));
    assertProblem(answer, 400);
    assertThat(answer.body).contains("more than 1000 items");
  }

  @Test
  void ambiguousPathsAre400BeforeAnyRoute() throws Exception {
    assertProblem(exchange("GET /hello;x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    assertProblem(exchange("GET /x/..%2fhello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    // dot segments are resolved and the normalized path is routed
    assertThat(exchange("GET /x/%2e%2e/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status).isEqualTo(200);
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
      assertProblem(Answer.parse(readAll(socket.getInputStream())), 408);
    }
  }

  @Test
  void operationsSurfacesAnswerLoopbackOrTheOpsToken() throws Exception {
    assertThat(exchange("GET /ops HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status).isEqualTo(200);
    // came through a proxy: the loopback peer is the proxy, not the caller
    assertProblem(exchange("GET /ops HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n"), 404);
    assertThat(exchange("GET /ops HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer ops-secret\r\n"
      + "Connection: close\r\n\r\n").status).isEqualTo(200);
    assertProblem(exchange("GET /ops HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nAuthorization: Bearer guess\r\n"
      + "Connection: close\r\n\r\n"), 404);
  }

  private static String post(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
      + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static void assertProblem(Answer answer, int status) {
    assertThat(answer.status).as(answer.raw).isEqualTo(status);
    assertThat(answer.raw.toLowerCase()).contains("content-type: application/problem+json");
    JsonObject problem = new JsonObject(answer.body);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("traceId")).isNotBlank();
    assertThat(answer.body).doesNotContain("Exception").doesNotContain("\tat ");
  }

  static Answer exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // the server may answer and close before it has read everything (431, 413): read what it said
      }
      return Answer.parse(readAll(socket.getInputStream()));
    }
  }

  /** Reads until the server closes, or until a complete response with Content-Length has arrived. */
  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        bytes.write(buffer, 0, n);
        if (complete(bytes.toString(StandardCharsets.UTF_8))) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // what arrived is the answer
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean complete(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    var matcher = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(raw.substring(0, end));
    return matcher.find() && raw.length() - end - 4 >= Integer.parseInt(matcher.group(1));
  }

  record Answer(int status, String body, String raw) {
    static Answer parse(String raw) {
      assertThat(raw).as("an HTTP answer").startsWith("HTTP/1.");
      int end = raw.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(raw.substring(9, 12)), end < 0 ? "" : raw.substring(end + 4), raw);
    }
  }
}
