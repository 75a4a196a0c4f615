package dev.bazaar.provider;

import dev.bazaar.platform.boot.BazaarApplication;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.bazaar.platform.testing.TestBed.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The payment-provider simulator through its real HTTP API, deployed in a plain (non-clustered) Vert.x. */
class PaymentProviderIT {
  static Vertx vertx;
  static WebClient client;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(BazaarApplication.metricsOptions()));
    PaymentProviderVerticle verticle = new PaymentProviderVerticle();
    JsonObject config = new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("charges", new JsonObject().put("maxCharges", 10_000));
    await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
    port = verticle.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(32));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @BeforeEach
  void noFaults() throws Exception {
    HttpResponse<Buffer> reset = await(client.request(HttpMethod.DELETE, "/admin/faults").send());
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(reset.bodyAsJsonObject()).isEqualTo(new JsonObject().put("latencyMs", 0).put("latencyJitterMs", 0)
      .put("errorRate", 0.0).put("timeoutRate", 0.0).put("timeoutMs", 30_000).put("outage", false).put("retryAfterSeconds", 5));
  }

  // ------------------------------------------------------------------ charges

  @Test
  void okTokenIsChargedAndCanBeLookedUp() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> created = charge(key, "tok_ok", 1234, "EUR");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(created.getHeader("Idempotent-Replayed")).isNull();
    JsonObject charge = created.bodyAsJsonObject();
    assertThat(charge.getString("id")).matches("ch_[0-9a-f]{32}");
    assertThat(charge.getString("status")).isEqualTo("succeeded");
    assertThat(charge.getLong("amountCents")).isEqualTo(1234);
    assertThat(charge.getString("currency")).isEqualTo("EUR");
    assertThat(charge.getString("idempotencyKey")).isEqualTo(key);
    assertThat(charge.getString("createdAt")).isNotBlank();
    assertThat(charge.fieldNames()).doesNotContain("token", "reason", "refundId");
    assertThat(created.getHeader("Location")).isEqualTo("/v1/charges/" + charge.getString("id"));

    HttpResponse<Buffer> byId = get("/v1/charges/" + charge.getString("id"));
    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(byId.bodyAsJsonObject()).isEqualTo(charge);
    HttpResponse<Buffer> byKey = await(client.get("/v1/charges").addQueryParam("idempotencyKey", key).send());
    assertThat(byKey.statusCode()).isEqualTo(200);
    assertThat(byKey.bodyAsJsonObject()).isEqualTo(charge);
  }

  @Test
  void declinedTokenIs402AndTheDeclineIsReplayed() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> declined = charge(key, "tok_declined", 500, "USD");

    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(declined.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject body = declined.bodyAsJsonObject();
    assertThat(body.getString("id")).startsWith("ch_");
    assertThat(body.getString("status")).isEqualTo("declined");
    assertThat(body.getString("reason")).isEqualTo("card_declined");

    HttpResponse<Buffer> again = charge(key, "tok_declined", 500, "USD");
    assertThat(again.statusCode()).isEqualTo(402);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject()).isEqualTo(body);
    assertThat(byKey(key).bodyAsJsonObject().getString("status")).isEqualTo("declined");
  }

  @Test
  void unknownTokenIsInvalidAndChargesNothing() throws Exception {
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> invalid = charge(key, "tok_stolen", 100, "EUR");

    assertProblem(invalid, 400, "invalid_token");
    assertThat(byKey(key).statusCode()).isEqualTo(404);
    // the key is still free: a valid token afterwards is charged normally
    assertThat(charge(key, "tok_ok", 100, "EUR").statusCode()).isEqualTo(201);
  }

  @Test
  void invalidRequestsAreProblemsListingEveryField() throws Exception {
    HttpResponse<Buffer> allWrong = post("/v1/charges", new JsonObject()
      .put("idempotencyKey", "k".repeat(101)).put("amountCents", 0).put("currency", "eur"));
    assertProblem(allWrong, 400, "validation");
    assertThat(errorFields(allWrong)).containsExactlyInAnyOrder("idempotencyKey", "token", "amountCents", "currency");

    for (Object amount : new Object[] {0, -5, 100_000_001, 12.5, "1234", 1e30, new JsonArray()}) {
      HttpResponse<Buffer> response = post("/v1/charges", chargeBody(UUID.randomUUID().toString(), "tok_ok", 1, "EUR").put("amountCents", amount));
      assertProblem(response, 400, "validation");
      assertThat(errorFields(response)).as("amountCents %s", amount).containsExactly("amountCents");
    }
    assertThat(charge(UUID.randomUUID().toString(), "tok_ok", 100_000_000, "EUR").statusCode()).isEqualTo(201);
    assertThat(charge("k".repeat(100), "tok_ok", 1, "EUR").statusCode()).isEqualTo(201);

    for (String currency : new String[] {"eur", "EURO", "EU", "E1R", ""}) {
      HttpResponse<Buffer> response = charge(UUID.randomUUID().toString(), "tok_ok", 100, currency);
      assertProblem(response, 400, "validation");
      assertThat(errorFields(response)).as("currency %s", currency).containsExactly("currency");
    }
    assertThat(errorFields(charge("", "tok_ok", 100, "EUR"))).containsExactly("idempotencyKey");

    assertProblem(await(client.post("/v1/charges").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nope"))), 400, "bad-request");
    assertProblem(await(client.post("/v1/charges").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("[1]"))), 400, "bad-request");
    assertProblem(await(client.post("/v1/charges").putHeader("Content-Type", "application/json").send()), 400, "bad-request");
    assertProblem(await(client.post("/v1/charges").putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("hi"))), 415, "unsupported-media-type");
    assertProblem(await(client.post("/v1/refunds").sendJsonObject(new JsonObject().put("chargeId", 42))), 400, "validation");
    assertProblem(get("/v1/charges"), 400, "validation");
    assertProblem(get("/v1/charges?idempotencyKey=" + "k".repeat(101)), 400, "validation");
    assertProblem(get("/v1/charges/ch_unknown"), 404, "not-found");
    assertProblem(get("/v1/nothing-here"), 404, "not-found");
  }

  // ------------------------------------------------------------------ idempotency

  @Test
  void sameKeyTwentyTimesAtOnceIsOneCharge() throws Exception {
    String key = UUID.randomUUID().toString();
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.post("/v1/charges").sendJsonObject(chargeBody(key, "tok_ok", 4321, "EUR")));
    }
    await(Future.all(calls));

    Set<String> ids = calls.stream().map(call -> call.result().bodyAsJsonObject().getString("id")).collect(Collectors.toSet());
    assertThat(calls).allSatisfy(call -> assertThat(call.result().statusCode()).isEqualTo(201));
    assertThat(ids).hasSize(1);
    assertThat(calls.stream().filter(call -> call.result().getHeader("Idempotent-Replayed") == null)).hasSize(1);
    assertThat(byKey(key).bodyAsJsonObject().getString("id")).isEqualTo(ids.iterator().next());
  }

  @Test
  void sameKeyForAnotherChargeIsAConflict() throws Exception {
    String key = UUID.randomUUID().toString();
    JsonObject original = charge(key, "tok_ok", 1000, "EUR").bodyAsJsonObject();

    assertProblem(charge(key, "tok_ok", 1001, "EUR"), 409, "idempotency_key_reused");
    assertProblem(charge(key, "tok_declined", 1000, "EUR"), 409, "idempotency_key_reused");
    assertProblem(charge(key, "tok_ok", 1000, "GBP"), 409, "idempotency_key_reused");
    assertThat(byKey(key).bodyAsJsonObject()).isEqualTo(original);
    assertThat(charge(key, "tok_ok", 1000, "EUR").bodyAsJsonObject()).isEqualTo(original);
  }

  // ------------------------------------------------------------------ refunds

  @Test
  void aChargeIsRefundedOnce() throws Exception {
    JsonObject charge = charge(UUID.randomUUID().toString(), "tok_ok", 2500, "EUR").bodyAsJsonObject();
    String chargeId = charge.getString("id");

    HttpResponse<Buffer> refunded = post("/v1/refunds", new JsonObject().put("chargeId", chargeId));
    assertThat(refunded.statusCode()).isEqualTo(201);
    JsonObject refund = refunded.bodyAsJsonObject();
    assertThat(refund.getString("id")).matches("re_[0-9a-f]{32}");
    assertThat(refund.getString("chargeId")).isEqualTo(chargeId);
    assertThat(refund.getString("status")).isEqualTo("succeeded");
    assertThat(refund.getLong("amountCents")).isEqualTo(2500);
    assertThat(refunded.getHeader("Idempotent-Replayed")).isNull();

    HttpResponse<Buffer> again = post("/v1/refunds", new JsonObject().put("chargeId", chargeId));
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.bodyAsJsonObject()).isEqualTo(refund);
    assertThat(get("/v1/charges/" + chargeId).bodyAsJsonObject().getString("refundId")).isEqualTo(refund.getString("id"));
  }

  @Test
  void unknownOrDeclinedChargesAreNotRefunded() throws Exception {
    assertProblem(post("/v1/refunds", new JsonObject().put("chargeId", "ch_" + "0".repeat(32))), 404, "not-found");
    String declined = charge(UUID.randomUUID().toString(), "tok_declined", 100, "EUR").bodyAsJsonObject().getString("id");
    assertProblem(post("/v1/refunds", new JsonObject().put("chargeId", declined)), 409, "charge_not_refundable");
    assertThat(get("/v1/charges/" + declined).bodyAsJsonObject().containsKey("refundId")).isFalse();
    assertProblem(post("/v1/refunds", new JsonObject()), 400, "validation");
  }

  // ------------------------------------------------------------------ faults

  @Test
  void injectedErrorsAre503BeforeAnythingHappens() throws Exception {
    assertThat(faults(new JsonObject().put("errorRate", 1.0)).getDouble("errorRate")).isEqualTo(1.0);
    String key = UUID.randomUUID().toString();

    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> failed = charge(key, "tok_ok", 777, "EUR");
      assertProblem(failed, 503, "provider_unavailable");
    }
    assertProblem(byKey(key), 503, "provider_unavailable");

    faults(new JsonObject().put("errorRate", 0));
    assertThat(byKey(key).statusCode()).isEqualTo(404); // no charge was made
    HttpResponse<Buffer> charged = charge(key, "tok_ok", 777, "EUR");
    assertThat(charged.statusCode()).isEqualTo(201);
    assertThat(charged.getHeader("Idempotent-Replayed")).isNull();
  }

  @Test
  void outageIs503WithRetryAfterOnEveryCallButNotOnOperations() throws Exception {
    String existing = charge(UUID.randomUUID().toString(), "tok_ok", 100, "EUR").bodyAsJsonObject().getString("id");
    faults(new JsonObject().put("outage", true).put("retryAfterSeconds", 7).put("latencyMs", 5_000));

    HttpResponse<Buffer> down = charge(UUID.randomUUID().toString(), "tok_ok", 100, "EUR");
    assertProblem(down, 503, "provider_outage");
    assertThat(down.getHeader("Retry-After")).isEqualTo("7");
    assertProblem(get("/v1/charges/" + existing), 503, "provider_outage");
    assertProblem(post("/v1/refunds", new JsonObject().put("chargeId", existing)), 503, "provider_outage");
    // health, metrics and the admin API are not part of the simulated processor's outage
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);

    faults(new JsonObject().put("outage", false).put("latencyMs", 0));
    assertThat(get("/v1/charges/" + existing).statusCode()).isEqualTo(200);
    assertThat(get("/v1/charges/" + existing).bodyAsJsonObject().containsKey("refundId")).isFalse();
  }

  @Test
  void latencyDelaysEveryCallWithoutBlocking() throws Exception {
    faults(new JsonObject().put("latencyMs", 300));

    long started = System.nanoTime();
    HttpResponse<Buffer> slow = charge(UUID.randomUUID().toString(), "tok_ok", 100, "EUR");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(slow.statusCode()).isEqualTo(201);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);

    // twenty delayed calls at once take about one delay, not twenty: the delay is a timer
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      calls.add(client.get("/v1/charges/ch_missing").send());
    }
    // operations are not delayed: health answers while the calls wait
    HttpResponse<Buffer> live = await(client.get("/health/live").send());
    long liveMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    await(Future.all(calls));
    elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(calls).allSatisfy(call -> assertThat(call.result().statusCode()).isEqualTo(404));
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(liveMs).isLessThan(300);
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300).isLessThan(20 * 300 / 2);

    faults(new JsonObject().put("latencyMs", 100).put("latencyJitterMs", 200));
    started = System.nanoTime();
    assertThat(get("/v1/charges/ch_missing").statusCode()).isEqualTo(404);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aCallerThatGivesUpDuringTheLatencyIsStillCharged() throws Exception {
    faults(new JsonObject().put("latencyMs", 400));
    String key = UUID.randomUUID().toString();

    assertThatThrownBy(() -> await(client.post("/v1/charges").timeout(100).sendJsonObject(chargeBody(key, "tok_ok", 300, "EUR"))))
      .isInstanceOf(ExecutionException.class);

    // like a slow real processor, the charge goes through after the delay: only the answer was lost
    faults(new JsonObject().put("latencyMs", 0));
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> byKey(key).statusCode() == 200);
    HttpResponse<Buffer> retried = charge(key, "tok_ok", 300, "EUR");
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(retried.getHeader("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void injectedTimeoutDoesTheWorkButNeverAnswers() throws Exception {
    faults(new JsonObject().put("timeoutRate", 1.0));
    String key = UUID.randomUUID().toString();

    long started = System.nanoTime();
    assertThatThrownBy(() -> await(client.post("/v1/charges").timeout(500).sendJsonObject(chargeBody(key, "tok_ok", 900, "EUR"))))
      .isInstanceOf(ExecutionException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(500);

    faults(new JsonObject().put("timeoutRate", 0.0));
    // the caller never heard back, but the charge was made: a retry with the same key returns it
    HttpResponse<Buffer> found = byKey(key);
    assertThat(found.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> retried = charge(key, "tok_ok", 900, "EUR");
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(retried.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retried.bodyAsJsonObject().getString("id")).isEqualTo(found.bodyAsJsonObject().getString("id"));
  }

  @Test
  void faultsChangeFieldByFieldAndBadSettingsAreRefused() throws Exception {
    JsonObject changed = faults(new JsonObject().put("latencyMs", 10).put("errorRate", 0.25));
    assertThat(changed.getLong("latencyMs")).isEqualTo(10);
    assertThat(changed.getDouble("errorRate")).isEqualTo(0.25);
    JsonObject again = faults(new JsonObject().put("outage", false));
    assertThat(again).isEqualTo(changed);
    assertThat(get("/admin/faults").bodyAsJsonObject()).isEqualTo(changed);

    for (JsonObject bad : List.of(new JsonObject().put("errorRate", 1.5), new JsonObject().put("latencyMs", -1),
      new JsonObject().put("latencyMs", 60_001), new JsonObject().put("latencyMs", 2.5), new JsonObject().put("outage", "yes"),
      new JsonObject().put("timeoutRate", 0.8), new JsonObject().put("timeoutMs", 50), new JsonObject().put("errorrate", 0.5))) {
      HttpResponse<Buffer> refused = post("/admin/faults", bad);
      assertProblem(refused, 400, "validation");
    }
    assertThat(get("/admin/faults").bodyAsJsonObject()).isEqualTo(changed);
  }

  @Test
  void moreThanOneInstanceIsRefused() {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("port", 0));
    assertThatThrownBy(() -> await(vertx.deployVerticle(PaymentProviderVerticle::new, new DeploymentOptions().setConfig(config).setInstances(2))))
      .hasMessageContaining("deploy exactly one instance");
  }

  // ------------------------------------------------------------------ metrics

  @Test
  void countersShowChargesRefundsAndFaults() throws Exception {
    String succeeded = "bazaar_provider_charges_total{status=\"succeeded\"}";
    String declined = "bazaar_provider_charges_total{status=\"declined\"}";
    String refunds = "bazaar_provider_refunds_total";
    String replays = "bazaar_provider_replays_total{operation=\"charge\"}";
    String errors = "bazaar_provider_faults_total{kind=\"error\"}";
    String outages = "bazaar_provider_faults_total{kind=\"outage\"}";
    String stored = "bazaar_provider_charges_stored";
    String before = get("/metrics").bodyAsString();

    String key = UUID.randomUUID().toString();
    String id = charge(key, "tok_ok", 100, "EUR").bodyAsJsonObject().getString("id");
    charge(key, "tok_ok", 100, "EUR");
    charge(UUID.randomUUID().toString(), "tok_declined", 100, "EUR");
    post("/v1/refunds", new JsonObject().put("chargeId", id));
    faults(new JsonObject().put("errorRate", 1.0));
    charge(UUID.randomUUID().toString(), "tok_ok", 100, "EUR");
    faults(new JsonObject().put("errorRate", 0.0).put("outage", true));
    charge(UUID.randomUUID().toString(), "tok_ok", 100, "EUR");

    String after = get("/metrics").bodyAsString();
    assertThat(value(after, succeeded) - value(before, succeeded)).isEqualTo(1);
    assertThat(value(after, declined) - value(before, declined)).isEqualTo(1);
    assertThat(value(after, refunds) - value(before, refunds)).isEqualTo(1);
    assertThat(value(after, replays) - value(before, replays)).isEqualTo(1);
    assertThat(value(after, errors) - value(before, errors)).isEqualTo(1);
    assertThat(value(after, outages) - value(before, outages)).isEqualTo(1);
    assertThat(value(after, stored) - value(before, stored)).isEqualTo(2);
  }

  // ------------------------------------------------------------------ helpers

  static JsonObject chargeBody(String key, String token, long amountCents, String currency) {
    return new JsonObject().put("idempotencyKey", key).put("token", token).put("amountCents", amountCents).put("currency", currency);
  }

  static HttpResponse<Buffer> charge(String key, String token, long amountCents, String currency) throws Exception {
    return post("/v1/charges", chargeBody(key, token, amountCents, currency));
  }

  static HttpResponse<Buffer> byKey(String key) throws Exception {
    return await(client.get("/v1/charges").addQueryParam("idempotencyKey", key).send());
  }

  static JsonObject faults(JsonObject changes) throws Exception {
    HttpResponse<Buffer> response = post("/admin/faults", changes);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return await(client.post(path).sendJsonObject(body));
  }

  static HttpResponse<Buffer> get(String path) throws Exception {
    HttpRequest<Buffer> request = client.get(path);
    return await(request.send());
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("https://bazaar.dev/problems/" + type);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
  }

  static List<String> errorFields(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getJsonArray("errors").stream()
      .map(error -> ((JsonObject) error).getString("field")).toList();
  }

  /** The value of one Prometheus series (0 when absent). */
  static double value(String metrics, String series) {
    Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
