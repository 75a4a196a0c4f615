package dev.bazaar.user.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real user-service, deployed in a test's own Vert.x on real PostgreSQL, so that another service's
 * test bed gets real tokens the way a client does: register, then log in. It also holds what every such
 * test bed needs around it: HTTP to the service under test, the problem-details check, the service's
 * database read as its own role. Waiting and ports are {@link dev.bazaar.platform.testing.TestBed}'s.
 */
public final class UserServiceHarness {
  public static final String ADMIN_EMAIL = "root@example.test";
  public static final String ADMIN_PASSWORD = "admin-s3cret-pass";
  public static final String PASSWORD = "s3cret-pass";

  private static final String HOST = "127.0.0.1";

  /** A registered user: its id and a token from logging in. */
  public record Account(String id, String token) {
  }

  private final WebClient client;
  private final int port;

  private UserServiceHarness(WebClient client, int port) {
    this.client = client;
    this.port = port;
  }

  /** Deploys user-service in {@code vertx}, keeping its signing keys and admin password file under {@code home}. */
  public static UserServiceHarness deploy(Vertx vertx, Path home) throws Exception {
    int port = freePort();
    await(vertx.deployVerticle(new UserServiceVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("http", new JsonObject().put("port", port))
      .put("db", dbConfig(TestPostgres.database("user_service")))
      .put("auth", new JsonObject().put("keysDir", home.resolve("keys").toString()).put("bcryptCost", 4))
      .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD)
        .put("passwordFile", home.resolve("admin-password").toString()))
      // test beds of other services register and log in many users from one address; UserServiceIT tests the throttle
      .put("throttle", new JsonObject().put("enabled", false)))));
    return new UserServiceHarness(WebClient.create(vertx), port);
  }

  /** The {@code auth} section of a service's config that trusts this user-service's tokens, found through discovery. */
  public static JsonObject authConfig() {
    return new JsonObject().put("issuer", "bazaar-user-service").put("audience", "bazaar-api").put("jwksService", "user-service");
  }

  /**
   * What the config of any service under test starts with: its HTTP port, its database (as its own
   * role) and the {@link #authConfig} that trusts this user-service's tokens.
   */
  public static JsonObject serviceConfig(int port, DatabaseSettings db) {
    return new JsonObject().put("http", new JsonObject().put("port", port)).put("db", dbConfig(db)).put("auth", authConfig());
  }

  /** The port user-service listens on. */
  public int port() {
    return port;
  }

  // ---- tokens ----

  /**
   * A customer token signed with the key user-service keeps under {@code home}, expiring at
   * {@code expiry} and meant for {@code audience}: what a check that refuses expired or foreign tokens needs.
   */
  public static String signedToken(Path home, Instant expiry, String audience) throws Exception {
    RSAKey key = RSAKey.parse(Files.readString(home.resolve("keys/user-service-signing-key.json")));
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("bazaar-user-service").audience(audience)
      .subject(UUID.randomUUID().toString()).claim("roles", List.of("customer"))
      .issueTime(Date.from(expiry.minusSeconds(7200))).expirationTime(Date.from(expiry)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  public String adminToken() throws Exception {
    return login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  /** A token of a new customer. */
  public String customerToken() throws Exception {
    return register("shopper", "Shopper").token();
  }

  /** Registers a new user named {@code name} with an email starting with {@code emailPrefix}, and logs it in. */
  public Account register(String emailPrefix, String name) throws Exception {
    String email = emailPrefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    HttpResponse<Buffer> created = await(client.post(port, HOST, "/api/v1/auth/register")
      .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("name", name)));
    assertThat(created.statusCode()).isEqualTo(201);
    return new Account(created.bodyAsJsonObject().getString("id"), login(email, PASSWORD));
  }

  public String login(String email, String password) throws Exception {
    HttpResponse<Buffer> response = await(client.post(port, HOST, "/api/v1/auth/login")
      .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("token");
  }

  // ---- HTTP to the service under test ----

  /** A request to the service on {@code servicePort}, carrying {@code token} when there is one. */
  public HttpRequest<Buffer> request(HttpMethod method, int servicePort, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, servicePort, HOST, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  /** Sends {@code body} (none when null) as is, with {@code contentType} when there is one. */
  public HttpResponse<Buffer> send(HttpMethod method, int servicePort, String path, String token, String contentType,
                                   Buffer body) throws Exception {
    HttpRequest<Buffer> request = request(method, servicePort, path, token);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** The response is an RFC 9457 problem with {@code status}, traced, and leaks no stack trace. */
  public static void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("type")).startsWith("https://bazaar.dev/problems/");
    assertThat(problem.getString("traceId")).matches("[0-9a-f]{32}");
    assertThat(response.getHeader("traceparent")).contains(problem.getString("traceId"));
    assertThat(response.bodyAsString()).doesNotContain("Exception").doesNotContain("at dev.");
  }

  // ---- a service's database, as the service's own role ----

  /** The {@code db} section of a service's config for {@code db}. */
  public static JsonObject dbConfig(DatabaseSettings db) {
    return new JsonObject().put("host", db.host()).put("port", db.port()).put("database", db.database())
      .put("user", db.user()).put("password", db.password()).put("poolSize", db.poolSize());
  }

  /** The first column of the first row of {@code sql}, a count or any other number. */
  public static long count(DatabaseSettings db, String sql, Object... params) throws SQLException {
    return TestPostgres.count(db, sql, params);
  }

  /** Runs an update; answers the number of rows it changed. */
  public static int execute(DatabaseSettings db, String sql, Object... params) throws SQLException {
    return TestPostgres.execute(db, sql, params);
  }
}
