package dev.bazaar.gateway;

import dev.bazaar.platform.boot.BazaarApplication;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.eventbus.BusReply;
import dev.bazaar.platform.eventbus.BusRequest;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.user.testing.UserServiceHarness.signedToken;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway in front of the real user-service (real PostgreSQL), through HTTP as a client sees it. */
class GatewayIT {
  @TempDir
  static Path home;
  static Vertx vertx;
  static WebClient http;
  static int port;
  static int strictPort;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    http = WebClient.create(vertx);
    DatabaseSettings db = TestPostgres.database("user_service");
    await(vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("port", 0))
      .put("db", new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
        .put("user", db.user()).put("password", db.password()))
      .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
      .put("admin", new JsonObject().put("email", "gw-admin@example.test").put("password", "gateway-admin-pw")))));
    startSlowService();
    vertx.eventBus().<JsonObject>consumer("test.echo", message -> {
      BusRequest request = BusRequest.fromJson(message.body());
      message.reply(BusReply.json(201, new JsonObject()
        .put("method", request.method()).put("path", request.path()).put("query", new JsonObject(Map.copyOf(request.query())))
        .put("authorized", request.header("Authorization") != null)
        .put("traceparent", request.header("traceparent"))
        .put("body", request.body())).toJson());
    });
    port = freePort();
    strictPort = freePort();
    await(vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(gatewayConfig(port, false))));
    await(vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(gatewayConfig(strictPort, true))));
    String email = "gw-" + UUID.randomUUID() + "@example.test";
    assertThat(post(port, "/api/v1/auth/register", new JsonObject().put("email", email).put("password", "gateway-pass").put("name", "G"), null).statusCode())
      .isEqualTo(201);
    token = login(email, "gateway-pass");
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static JsonObject gatewayConfig(int port, boolean strictLimits) {
    return new JsonObject()
      .put("http", new JsonObject().put("port", port))
      .put("instances", 2)
      .put("client", new JsonObject().put("timeoutMs", 500).put("maxAttempts", 2).put("retryBudgetMs", 2000))
      .put("rateLimit", new JsonObject().put("enabled", true)
        .put("userCapacity", strictLimits ? 3 : 10_000).put("userRefillPerSecond", strictLimits ? 1 : 10_000)
        .put("anonymousCapacity", strictLimits ? 3 : 10_000).put("anonymousRefillPerSecond", strictLimits ? 1 : 10_000))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("prefix", "/api/v1/auth").put("service", "user-service").put("public", true))
        .add(new JsonObject().put("prefix", "/api/v1/users").put("service", "user-service"))
        .add(new JsonObject().put("prefix", "/api/v1/slow").put("service", "slow-service").put("public", true))
        .add(new JsonObject().put("prefix", "/api/v1/ghosts").put("service", "ghost-service").put("public", true))
        .add(new JsonObject().put("prefix", "/api/v1/echo").put("address", "test.echo")));
  }

  @Test
  void proxiesToTheServiceWithTraceAndRateLimitHeaders() throws Exception {
    HttpResponse<Buffer> me = get(port, "/api/v1/users/me", token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getString("email")).startsWith("gw-");
    assertThat(me.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(me.getHeader("RateLimit-Limit")).isEqualTo("10000");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<Buffer> traced = await(http.get(port, "127.0.0.1", "/api/v1/users/me").bearerTokenAuthentication(token)
      .putHeader("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").send());
    assertThat(traced.getHeader("traceparent")).startsWith("00-" + traceId + "-");
  }

  @Test
  void badTokensAreRejectedAtTheGateway() throws Exception {
    assertProblem(get(port, "/api/v1/users/me", null), 401);
    assertProblem(get(port, "/api/v1/users/me", "not.a.jwt"), 401);
    String[] parts = token.split("\\.");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
    assertProblem(get(port, "/api/v1/users/me", none + "." + parts[1] + "."), 401);
    String hs256 = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"kid\":\"x\"}".getBytes());
    assertProblem(get(port, "/api/v1/users/me", hs256 + "." + parts[1] + "." + parts[2]), 401);
    assertProblem(get(port, "/api/v1/users/me", signedToken(home, Instant.now().minusSeconds(600), "bazaar-api")), 401);
    assertProblem(get(port, "/api/v1/users/me", signedToken(home, Instant.now().plusSeconds(600), "another-audience")), 401);
  }

  @Test
  void unknownRoutesMethodsAndHugeBodiesAreProblems() throws Exception {
    assertProblem(get(port, "/api/v1/nothing", token), 404);
    assertProblem(get(port, "/nowhere", null), 404);
    assertProblem(await(http.delete(port, "127.0.0.1", "/health/live").send()), 405);
    assertProblem(await(http.post(port, "127.0.0.1", "/api/v1/auth/register").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(new byte[2 * 1024 * 1024]))), 413);
    assertProblem(await(http.post(port, "127.0.0.1", "/api/v1/auth/register").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("{\"email\":"))), 400);
  }

  @Test
  void noInstanceIs503FastWithRetryAfterAndASlowOneIs504() throws Exception {
    long start = System.nanoTime();
    HttpResponse<Buffer> ghost = get(port, "/api/v1/ghosts", null);
    assertProblem(ghost, 503);
    assertThat(ghost.getHeader("Retry-After")).isEqualTo("1");
    assertThat((System.nanoTime() - start) / 1_000_000).as("fails fast").isLessThan(400);
    assertProblem(get(port, "/api/v1/slow", null), 504);
  }

  @Test
  void aClientOverItsLimitGets429WithRetryAfter() throws Exception {
    int limited = 0;
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 6; i++) {
      last = get(strictPort, "/api/v1/users/me", token);
      if (last.statusCode() == 429) {
        limited++;
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(2);
    assertProblem(last, 429);
    assertThat(Integer.parseInt(last.getHeader("Retry-After"))).isBetween(1, 2);
    assertThat(last.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(get(strictPort, "/api/v1/auth/login", null).statusCode()).as("anonymous clients have their own bucket").isNotEqualTo(429);
  }

  @Test
  void routesAreChosenOnTheNormalizedPathAndAmbiguousPathsAreRejected() throws Exception {
    // under the public auth prefix as written, under the protected users prefix once normalized
    assertProblem(get(port, "/api/v1/auth/../users/me", null), 401);
    assertProblem(get(port, "/api/v1/auth/%2e%2e/users/me", null), 401);
    assertProblem(get(port, "/api/v1/auth/%2E%2E/users/me", null), 401);
    // and with a token, the service is asked for the normalized path: the user's own record
    assertThat(get(port, "/api/v1/auth/../users/me", token).bodyAsJsonObject().getString("email")).startsWith("gw-");
    // the .. takes back the empty segment: /api/v1/auth/users/me, which the auth service does not have
    assertProblem(get(port, "/api/v1/auth//../users/me", null), 404);
    assertProblem(get(port, "/api/v1//users/me", null), 401);
    assertProblem(get(port, "/api/v1/auth;x=1/../users/me", null), 400);
    assertProblem(get(port, "/api/v1/auth/..%2fusers/me", null), 400);
    assertProblem(get(port, "/api/v1/auth/..%5Cusers/me", null), 400);
    assertProblem(get(port, "/API/v1/users/me", token), 404);
    assertProblem(get(port, "/api/v1/Users/me", token), 404);
    assertProblem(get(port, "/api/v1/../../metrics", null), 404);
  }

  @Test
  void thePublicPortServesNoOperationsSurfaces() throws Exception {
    assertProblem(get(port, "/metrics", null), 404);
    assertProblem(get(port, "/admin/faults", null), 404);
    assertThat(get(port, "/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void crossOriginPreflightsAreRefusedWithNoOriginConfigured() throws Exception {
    HttpResponse<Buffer> preflight = await(http.request(io.vertx.core.http.HttpMethod.OPTIONS, port, "127.0.0.1", "/api/v1/users/me")
      .putHeader("Origin", "https://evil.example").putHeader("Access-Control-Request-Method", "GET").send());
    assertProblem(preflight, 403);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
    HttpResponse<Buffer> simple = await(http.get(port, "127.0.0.1", "/api/v1/users/me").putHeader("Origin", "https://evil.example")
      .bearerTokenAuthentication(token).send());
    assertThat(simple.statusCode()).isEqualTo(200);
    assertThat(simple.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void missingAndBadTokensCountAgainstTheClientAddress() throws Exception {
    // the strict gateway allows 3 requests per client address at once
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      int status = get(strictPort, "/api/v1/users/me", i % 2 == 0 ? null : "not.a.token").statusCode();
      if (status == 429) {
        refused++;
      } else {
        assertThat(status).isEqualTo(401);
      }
    }
    assertThat(refused).isGreaterThanOrEqualTo(2);
    // leave the address's bucket refilled for the other tests: 1 token per second comes back and
    // each probe takes one, so probes 1.5 s apart see it climb until it held all 3 (2 left after the probe)
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1500))
      .until(() -> get(strictPort, "/api/v1/auth/login", null).getHeader("RateLimit-Remaining"),
        remaining -> Integer.parseInt(remaining) >= 2);
  }

  @Test
  void theAdminViewListsInstancesAndBreakersToAdminsOnly() throws Exception {
    assertProblem(get(port, "/api/v1/admin/services", token), 403);
    assertProblem(get(port, "/api/v1/admin/services", null), 401);
    HttpResponse<Buffer> view = get(port, "/api/v1/admin/services", login("gw-admin@example.test", "gateway-admin-pw"));
    assertThat(view.statusCode()).isEqualTo(200);
    JsonObject users = view.bodyAsJsonObject().getJsonArray("services").stream().map(s -> (JsonObject) s)
      .filter(s -> "user-service".equals(s.getString("name"))).findFirst().orElseThrow();
    JsonObject instance = users.getJsonArray("instances").getJsonObject(0);
    assertThat(instance.getString("health")).isEqualTo("UP");
    assertThat(instance.getString("breaker")).isEqualTo("CLOSED");
    assertThat(instance.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void eventBusRoutesTranslateHttpToBusRequestsAndBack() throws Exception {
    HttpResponse<Buffer> reply = await(http.post(port, "127.0.0.1", "/api/v1/echo/x?page=2").bearerTokenAuthentication(token)
      .sendJsonObject(new JsonObject().put("hello", "bus")));
    assertThat(reply.statusCode()).isEqualTo(201);
    JsonObject body = reply.bodyAsJsonObject();
    assertThat(body.getString("method")).isEqualTo("POST");
    assertThat(body.getString("path")).isEqualTo("/api/v1/echo/x");
    assertThat(body.getJsonObject("query").getString("page")).isEqualTo("2");
    assertThat(body.getBoolean("authorized")).isTrue();
    assertThat(body.getString("traceparent")).contains(reply.getHeader("traceparent").substring(3, 35));
    assertThat(body.getJsonObject("body").getString("hello")).isEqualTo("bus");
    HttpResponse<Buffer> bodiless = get(port, "/api/v1/echo?q=1", token);
    assertThat(bodiless.statusCode()).isEqualTo(201);
    assertThat(bodiless.bodyAsJsonObject().getValue("body")).isNull();
    assertProblem(get(port, "/api/v1/echo", null), 401);
  }

  private static void startSlowService() throws Exception {
    var server = await(vertx.createHttpServer().requestHandler(request -> vertx.setTimer(3000, t -> request.response().end("late")))
      .listen(0, "127.0.0.1"));
    ServiceRegistry registry = await(ServiceRegistry.create(vertx));
    await(registry.publishHttp("slow-service", "127.0.0.1", server.actualPort()));
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("traceId")).matches("[0-9a-f]{32}");
    assertThat(response.bodyAsString()).doesNotContain("Exception");
  }

  private static String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = post(port, "/api/v1/auth/login", new JsonObject().put("email", email).put("password", password), null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  private static HttpResponse<Buffer> post(int port, String path, JsonObject body, String bearer) throws Exception {
    var request = http.post(port, "127.0.0.1", path);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return await(request.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> get(int port, String path, String bearer) throws Exception {
    var request = http.get(port, "127.0.0.1", path);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return await(request.send());
  }
}
