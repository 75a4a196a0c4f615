package dev.bazaar.platform.eventbus;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.eventbus.BusRouter.Access;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static dev.bazaar.platform.testing.BusProblems.assertProblem;
import static dev.bazaar.platform.testing.TestBed.await;
import static org.assertj.core.api.Assertions.assertThat;

/** BusRouter over a local event bus: dispatch, auth, problems, exactly as the gateway will call it. */
class BusRouterTest {
  private static final String ADDRESS = "test-service.api";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";
  private static final AuthSettings AUTH = new AuthSettings("test-issuer", "test-audience", "user-service", "/jwks");

  static Vertx vertx;
  static RSAKey key;
  static RSAKey otherKey;

  @BeforeAll
  static void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    vertx = Vertx.vertx();
    JwtVerifier verifier = new JwtVerifier(AUTH, () -> Future.succeededFuture(new JWKSet(key.toPublicJWK())));
    BusRouter router = BusRouter.create(vertx, verifier)
      .route(HttpMethod.GET, "/things", Access.PUBLIC, ctx -> {
        var page = ctx.page(20);
        return Future.succeededFuture(BusReply.json(200, new JsonObject().put("page", page.page()).put("size", page.size())));
      })
      .route(HttpMethod.GET, "/things/:id", Access.AUTHENTICATED, ctx -> Future.succeededFuture(BusReply.json(200, new JsonObject()
        .put("id", ctx.pathParam("id"))
        .put("user", ctx.principal().userId())
        .put("q", ctx.query("q"))
        .put("traceId", ctx.traceId()))))
      .route(HttpMethod.DELETE, "/things/:id", Access.AUTHENTICATED, ctx -> {
        throw ApiException.conflict("still-used", "Thing " + ctx.pathParam("id") + " is in use.");
      })
      .route(HttpMethod.POST, "/things/:id/echo", Access.AUTHENTICATED, ctx ->
        Future.succeededFuture(new BusReply(201, Map.of("Content-Type", "application/json", "Location", "/things/" + ctx.pathParam("id")), ctx.body())))
      .route(HttpMethod.GET, "/invalid", Access.PUBLIC, ctx ->
        Future.failedFuture(ApiException.invalid(new JsonArray().add(new JsonObject().put("field", "x").put("message", "is wrong")))))
      .route(HttpMethod.GET, "/boom", Access.PUBLIC, ctx -> {
        throw new IllegalStateException("connection to db:5432 as admin/hunter2 refused");
      })
      .route(HttpMethod.GET, "/failed", Access.PUBLIC, ctx -> Future.failedFuture(new RuntimeException("secret internals")))
      .route(HttpMethod.GET, "/nothing", Access.PUBLIC, ctx -> null)
      .route(HttpMethod.GET, "/public-principal", Access.PUBLIC, ctx -> Future.succeededFuture(BusReply.json(200, new JsonObject().put("user", ctx.principal().userId()))));
    await(router.listen(ADDRESS));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void dispatchesByMethodAndPathWithPrincipalParametersQueryAndTrace() throws Exception {
    String token = token(key, Instant.now().plusSeconds(600));
    BusReply reply = call(request("GET", "/things/t%201", Map.of("q", "x"), token, null));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers()).containsEntry("Content-Type", "application/json");
    assertThat(reply.body()).isEqualTo(new JsonObject().put("id", "t 1").put("user", "user-1").put("q", "x").put("traceId", TRACE));

    JsonObject body = new JsonObject().put("hello", "world");
    BusReply created = call(request("POST", "/things/7/echo", Map.of(), token, body));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.headers()).containsEntry("Location", "/things/7");
    assertThat(created.body()).isEqualTo(body);
  }

  @Test
  void publicRoutesNeedNoTokenAndPagesAreBounded() throws Exception {
    BusReply first = call(request("GET", "/things", Map.of(), null, null));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(new JsonObject().put("page", 0).put("size", 20));
    assertThat(call(request("GET", "/things", Map.of("page", "3", "size", "100"), null, null)).body())
      .isEqualTo(new JsonObject().put("page", 3).put("size", 100));

    BusReply bad = call(request("GET", "/things", Map.of("page", "-1", "size", "101"), null, null));
    assertProblem(bad, 400, "/things");
    assertThat(bad.body().getJsonArray("errors")).hasSize(2);
    assertProblem(call(request("GET", "/things", Map.of("size", "0"), null, null)), 400, "/things");
    assertProblem(call(request("GET", "/things", Map.of("page", "two"), null, null)), 400, "/things");
  }

  @Test
  void authenticatedRoutesRejectMissingOrBadTokensWith401() throws Exception {
    for (String authorization : new String[] {null, "Bearer ", "Bearer garbage", "Basic dXNlcjpwYXNz",
      "Bearer " + token(otherKey, Instant.now().plusSeconds(600)), "Bearer " + token(key, Instant.now().minusSeconds(3600))}) {
      JsonObject request = request("GET", "/things/1", Map.of(), null, null);
      if (authorization != null) {
        request.getJsonObject("headers").put("authorization", authorization);
      }
      BusReply reply = call(request);
      assertProblem(reply, 401, "/things/1");
      assertThat(reply.headers()).containsEntry("WWW-Authenticate", "Bearer");
    }
  }

  @Test
  void unknownPathsAre404AndOtherMethods405WithAllow() throws Exception {
    BusReply missing = call(request("GET", "/nowhere", Map.of(), null, null));
    assertProblem(missing, 404, "/nowhere");
    assertThat(missing.body().getString("type")).isEqualTo(Problems.TYPE_BASE + "not-found");

    BusReply wrongMethod = call(request("PUT", "/things/1", Map.of(), null, null));
    assertProblem(wrongMethod, 405, "/things/1");
    assertThat(wrongMethod.headers()).containsEntry("Allow", "GET, DELETE");
    assertProblem(call(request("DELETE", "/things", Map.of(), null, null)), 405, "/things");
  }

  @Test
  void apiExceptionsBecomeTheirProblemsThrownOrFailed() throws Exception {
    BusReply conflict = call(request("DELETE", "/things/9", Map.of(), token(key, Instant.now().plusSeconds(600)), null));
    assertProblem(conflict, 409, "/things/9");
    assertThat(conflict.body().getString("type")).isEqualTo(Problems.TYPE_BASE + "still-used");
    assertThat(conflict.body().getString("detail")).isEqualTo("Thing 9 is in use.");
    assertThat(conflict.body().fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "traceId");

    BusReply invalid = call(request("GET", "/invalid", Map.of(), null, null));
    assertProblem(invalid, 400, "/invalid");
    assertThat(invalid.body().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("x");

    BusReply noBody = call(request("POST", "/things/7/echo", Map.of(), token(key, Instant.now().plusSeconds(600)), null));
    assertProblem(noBody, 400, "/things/7/echo");
  }

  @Test
  void unexpectedFailuresAre500WithoutInternals() throws Exception {
    for (String path : List.of("/boom", "/failed", "/nothing", "/public-principal")) {
      BusReply reply = call(request("GET", path, Map.of(), null, null));
      assertProblem(reply, 500, path);
      assertThat(reply.body().encode()).doesNotContain("hunter2").doesNotContain("secret").doesNotContain("Exception");
    }
  }

  @Test
  void malformedEnvelopesAre400RepliesNotFailures() throws Exception {
    BusReply notJson = BusReply.fromJson(await(vertx.eventBus().<JsonObject>request(ADDRESS, "GET /things")).body());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.headers()).containsEntry("Content-Type", Problems.CONTENT_TYPE);
    BusReply badQuery = call(new JsonObject().put("method", "GET").put("path", "/things").put("query", "page=1"));
    assertThat(badQuery.status()).isEqualTo(400);
    BusReply badBody = call(new JsonObject().put("method", "POST").put("path", "/things/1/echo").put("body", new JsonArray()));
    assertThat(badBody.status()).isEqualTo(400);
  }

  @Test
  void aMissingOrInvalidTraceparentStartsANewTrace() throws Exception {
    JsonObject request = request("GET", "/nowhere", Map.of(), null, null);
    request.getJsonObject("headers").remove("traceparent");
    String fresh = call(request).body().getString("traceId");
    assertThat(fresh).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
    request.getJsonObject("headers").put("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    assertThat(call(request).body().getString("traceId")).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(dev.bazaar.platform.http.TraceContext.traceIdOf(TRACEPARENT)).isEqualTo(TRACE);
  }


  private static JsonObject request(String method, String path, Map<String, String> query, String token, JsonObject body) {
    Map<String, String> headers = new java.util.TreeMap<>(Map.of("traceparent", TRACEPARENT));
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    return new BusRequest(method, path, query, headers, body).toJson();
  }

  /** Sends as the gateway does; a reply must always come as a regular reply. */
  private static BusReply call(JsonObject request) throws Exception {
    return BusReply.fromJson(await(vertx.eventBus().<JsonObject>request(ADDRESS, request)).body());
  }

  private static String token(RSAKey signingKey, Instant expiry) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(AUTH.issuer()).audience(AUTH.audience())
      .subject("user-1").claim("roles", List.of("customer"))
      .issueTime(Date.from(expiry.minusSeconds(7200))).expirationTime(Date.from(expiry)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }
}
