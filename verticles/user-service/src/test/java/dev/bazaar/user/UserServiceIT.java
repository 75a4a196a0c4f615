package dev.bazaar.user;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import org.awaitility.Awaitility;
import io.vertx.core.Vertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static dev.bazaar.user.testing.UserServiceHarness.signedToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** user-service against a real PostgreSQL, through its real HTTP API. */
class UserServiceIT {
  @TempDir
  static Path home;
  static Vertx vertx;
  static WebClient client;
  static DatabaseSettings db;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.database("user_service");
    port = freePort();
    JsonObject config = new JsonObject()
      .put("http", new JsonObject().put("port", port))
      .put("db", new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
        .put("user", db.user()).put("password", db.password()))
      .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
      .put("admin", new JsonObject().put("email", "root@example.test").put("passwordFile", home.resolve("admin-password").toString()))
      // the other tests register freely from 127.0.0.1; the throttle tests speak for distinct addresses
      .put("throttle", new JsonObject().put("registrationsPerAddress", 1000).put("baseDelayMs", 1000));
    vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setMetricsOptions(dev.bazaar.platform.boot.BazaarApplication.metricsOptions()));
    client = WebClient.create(vertx);
    await(vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(config)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void registerLoginAndReadOneself() throws Exception {
    String email = unique("ann");
    HttpResponse<Buffer> created = post("/api/v1/auth/register", new JsonObject().put("email", email.toUpperCase()).put("password", "s3cret-pass").put("name", "Ann"), null);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject user = created.bodyAsJsonObject();
    assertThat(user.getString("email")).isEqualTo(email);
    assertThat(user.getJsonArray("roles").getList()).containsExactly("customer");
    assertThat(user.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "roles", "createdAt");
    assertThat(created.getHeader("Location")).isEqualTo("/api/v1/users/" + user.getString("id"));

    String token = login(email, "s3cret-pass");
    HttpResponse<Buffer> me = get("/api/v1/users/me", token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getString("id")).isEqualTo(user.getString("id"));
    assertThat(get("/api/v1/users/" + user.getString("id"), token).statusCode()).isEqualTo(200);
  }

  @Test
  void duplicateEmailIsAConflictAndStoresNothing() throws Exception {
    String email = unique("dup");
    assertThat(register(email).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> again = register(email);
    assertProblem(again, 409);
    assertThat(countUsers(email)).isEqualTo(1);
  }

  @Test
  void invalidRegistrationsAreProblemsAndStoreNothing() throws Exception {
    String email = unique("bad");
    assertProblem(post("/api/v1/auth/register", new JsonObject().put("email", "not-an-email").put("password", "longenough").put("name", "X"), null), 400);
    assertProblem(post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", "short").put("name", "X"), null), 400);
    assertProblem(post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", "x".repeat(73)).put("name", "X"), null), 400);
    assertProblem(post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", 12345678).put("name", "X"), null), 400);
    assertProblem(post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", "longenough").put("name", "n".repeat(101)), null), 400);
    HttpResponse<Buffer> missing = post("/api/v1/auth/register", new JsonObject(), null);
    assertProblem(missing, 400);
    assertThat(missing.bodyAsJsonObject().getJsonArray("errors")).hasSize(3);
    HttpResponse<Buffer> malformed = await(client.post(port, "127.0.0.1", "/api/v1/auth/register")
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"email\":")));
    assertProblem(malformed, 400);
    HttpResponse<Buffer> huge = await(client.post(port, "127.0.0.1", "/api/v1/auth/register")
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(new byte[2 * 1024 * 1024])));
    assertProblem(huge, 413);
    assertThat(countUsers(email)).isZero();
  }

  @Test
  void wrongCredentialsAre401WhetherOrNotTheUserExists() throws Exception {
    String email = unique("cred");
    register(email);
    assertProblem(post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", "wrong-password"), null), 401);
    assertProblem(post("/api/v1/auth/login", new JsonObject().put("email", unique("nobody")).put("password", "whatever1"), null), 401);
  }

  @Test
  void repeatedWrongPasswordsCloseTheAccountForGrowingDelaysWithoutTellingWhetherItExists() throws Exception {
    String email = unique("guessed");
    register(email);
    String nobody = unique("nobody");
    for (String account : new String[] {email, nobody}) {
      for (int i = 0; i < 5; i++) {
        assertProblem(login(account, "wrong-password", "198.51.100.1"), 401);
      }
      HttpResponse<Buffer> closed = login(account, "wrong-password", "198.51.100.1");
      assertProblem(closed, 429);
      assertThat(closed.getHeader("Retry-After")).isEqualTo("1");
      assertThat(closed.bodyAsJsonObject().getString("detail")).isEqualTo("Too many attempts; retry after 1 s.");
    }
    // even the right password waits: a guess that hit would otherwise be told apart
    assertProblem(login(email, "s3cret-pass", "198.51.100.2"), 429);
    // once open again, one more failure closes it for twice as long
    HttpResponse<Buffer> next = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
      .until(() -> login(email, "wrong-password", "198.51.100.3"), response -> response.statusCode() != 429);
    assertProblem(next, 401);
    assertThat(login(email, "wrong-password", "198.51.100.3").getHeader("Retry-After")).isEqualTo("2");
    assertThat(get("/metrics", null).bodyAsString()).containsPattern("bazaar_auth_login_failures_total [1-9]")
      .contains("bazaar_auth_throttled_total{action=\"login\",scope=\"account\"}");
  }

  @Test
  void oneAddressGuessingAcrossAccountsIsThrottled() throws Exception {
    int refused = 0;
    for (int i = 0; i < 25; i++) {
      int status = login(unique("spray"), "wrong-password", "203.0.113.77").statusCode();
      assertThat(status).isIn(401, 429);
      refused += status == 429 ? 1 : 0;
    }
    assertThat(refused).isGreaterThanOrEqualTo(4);
    // another address is not affected
    assertProblem(login(unique("spray"), "wrong-password", "203.0.113.78"), 401);
  }

  @Test
  void registrationsOfOneEmailAreThrottled() throws Exception {
    String email = unique("again");
    assertThat(register(email).statusCode()).isEqualTo(201);
    assertProblem(register(email), 409);
    assertProblem(register(email), 409);
    HttpResponse<Buffer> closed = register(email);
    assertProblem(closed, 429);
    assertThat(closed.getHeader("Retry-After")).isNotNull();
  }

  private static HttpResponse<Buffer> login(String email, String password, String address) throws Exception {
    return await(client.post(port, "127.0.0.1", "/api/v1/auth/login").putHeader("X-Forwarded-For", address)
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  @Test
  void anotherUsersRecordIsNotFoundButAnAdminSeesIt() throws Exception {
    String a = unique("a");
    String b = unique("b");
    register(a);
    String bId = register(b).bodyAsJsonObject().getString("id");
    assertProblem(get("/api/v1/users/" + bId, login(a, "s3cret-pass")), 404);
    String adminPassword = Files.readString(home.resolve("admin-password")).strip();
    assertThat(get("/api/v1/users/" + bId, login("root@example.test", adminPassword)).statusCode()).isEqualTo(200);
  }

  @Test
  void badTokensAre401() throws Exception {
    String email = unique("tok");
    register(email);
    String token = login(email, "s3cret-pass");
    assertProblem(get("/api/v1/users/me", null), 401);
    assertProblem(get("/api/v1/users/me", "garbage"), 401);
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
    String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("\"customer\"", "\"admin\"").getBytes());
    assertProblem(get("/api/v1/users/me", parts[0] + "." + forgedPayload + "." + parts[2]), 401);
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    assertProblem(get("/api/v1/users/me", none + "." + parts[1] + "."), 401);
    assertProblem(get("/api/v1/users/me", signedToken(home, Instant.now().minusSeconds(3600), "bazaar-api")), 401);
    assertProblem(get("/api/v1/users/me", signedToken(home, Instant.now().plusSeconds(600), "someone-else")), 401);
    assertThat(get("/api/v1/users/me", signedToken(home, Instant.now().plusSeconds(600), "bazaar-api")).statusCode()).isIn(200, 404);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    assertProblem(get("/api/v1/nothing-here", null), 404);
    assertProblem(await(client.delete(port, "127.0.0.1", "/api/v1/auth/login").send()), 405);
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", null).bodyAsString()).contains("vertx_http_server_requests_total");
    assertThat(get("/.well-known/jwks.json", null).bodyAsJsonObject().getJsonArray("keys")).hasSize(1);
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    DatabaseSettings other = TestPostgres.database("product_service");
    String url = "jdbc:postgresql://127.0.0.1:" + other.port() + "/" + other.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, db.user(), db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("traceId")).matches("[0-9a-f]{32}");
    assertThat(response.bodyAsString()).doesNotContain("Exception").doesNotContain("at dev.");
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }

  private static HttpResponse<Buffer> register(String email) throws Exception {
    return post("/api/v1/auth/register", new JsonObject().put("email", email).put("password", "s3cret-pass").put("name", "Someone"), null);
  }

  private static String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password), null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("tokenType")).isEqualTo("Bearer");
    return response.bodyAsJsonObject().getString("token");
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body, String token) throws Exception {
    var request = client.post(port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> get(String path, String token) throws Exception {
    var request = client.get(port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.send());
  }

  private static long countUsers(String email) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM users WHERE email = '" + email + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
