package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus text at {@code /metrics} of the gateway, order-service and payment-service after
 * real traffic through the real jars (docs/OPERATIONS.md): the named series exist with sane
 * values, the payment-provider breaker reads open (2) while the provider is out, latencies are
 * histograms by route template, and no label carries a raw id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {
  static final String[] SERVICES = BazaarCluster.domainServices();
  static final int DEADLINE_SECONDS = 15;
  static final Duration SETTLE = Duration.ofSeconds(DEADLINE_SECONDS + 30);
  static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  static BazaarCluster cluster;
  static String admin;
  static String customer;
  static String product;
  static final List<String> orders = new ArrayList<>();
  static int orderServicePort;
  static int paymentServicePort;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring(SERVICES).withSaga(DEADLINE_SECONDS);
    cluster.startAll(SERVICES);
    admin = cluster.adminToken();
    customer = cluster.newCustomer("metrics");
    product = product(1000);
    orderServicePort = port("order-service");
    paymentServicePort = port("payment-service");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      try {
        cluster.postDirect(cluster.providerPort, "/admin/faults", "{\"outage\":false}");
      } catch (IOException e) {
        // the provider is gone already
      }
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void afterOrdersTheSagaTheOutboxAndTheConsumersAreMeasured() throws Exception {
    for (String token : new String[] {"tok_ok", "tok_ok", "tok_ok", "tok_declined"}) {
      order(token);
    }
    Map<String, Integer> outcomes = settledOutcomes();
    assertThat(outcomes).containsKeys("confirmed/payment_succeeded", "cancelled/payment_failed");

    Scrape orderService = awaitScrape("order-service counted every settled order", orderServicePort, scrape ->
      outcomes.entrySet().stream().allMatch(e -> scrape.value("bazaar_saga_outcomes_total",
        Map.of("outcome", e.getKey().split("/")[0], "reason", e.getKey().split("/")[1])) >= e.getValue())
        && scrape.value("bazaar_orders", Map.of("status", "CONFIRMED")) >= outcomes.get("confirmed/payment_succeeded"));
    assertThat(orderService.value("bazaar_orders", Map.of("status", "CANCELLED"))).isGreaterThanOrEqualTo(1);
    assertThat(orderService.find("bazaar_orders", Map.of("status", "PENDING"))).isNotEmpty();

    // the outbox drains: nothing left, one active relay, every row's latency recorded
    orderService = awaitScrape("order-service's outbox drained and its consumer caught up", orderServicePort, scrape ->
      scrape.value("bazaar_outbox_relay_active", Map.of("outbox", "order_service")) == 1
        && scrape.value("bazaar_outbox_backlog", Map.of("outbox", "order_service")) == 0
        && scrape.value("bazaar_kafka_consumer_lag", Map.of("consumer", "order-service")) == 0);
    assertThat(orderService.value("bazaar_outbox_relay_latency_seconds_count", Map.of("outbox", "order_service")))
      .isGreaterThanOrEqualTo(orders.size());
    assertThat(orderService.find("bazaar_outbox_relay_latency_seconds_bucket", Map.of("outbox", "order_service", "le", "0.1")))
      .isNotEmpty();
    assertThat(orderService.value("bazaar_kafka_consumer_records_total", Map.of("consumer", "order-service", "outcome", "applied")))
      .isGreaterThanOrEqualTo(orders.size());
    assertThat(orderService.find("bazaar_kafka_consumer_records_total", Map.of("outcome", "dead_lettered"))).isNotEmpty();

    // order placement asked product-service over the event bus, and used its database pool
    assertThat(orderService.samples).anyMatch(s -> s.name.startsWith("vertx_eventbus_")
      && "product-service.products.lookup".equals(s.labels.get("address")));
    assertThat(orderService.samples).anyMatch(s -> s.name.startsWith("vertx_pool_") && "order_service".equals(s.labels.get("pool_name")));
    assertServerLatencyHistogram(orderService, "/api/v1/orders/:id");
    assertServerLatencyHistogram(orderService, "/api/v1/orders");
  }

  @Test
  @Order(2)
  void theProviderBreakerOpensWhileTheProviderIsOut() throws Exception {
    assertThat(cluster.postDirect(cluster.providerPort, "/admin/faults", "{\"outage\":true}").statusCode()).isEqualTo(200);
    try {
      Scrape open = null;
      for (int i = 0; i < 3 && open == null; i++) {
        order("tok_ok");
        open = tryScrape(Duration.ofSeconds(15), paymentServicePort,
          scrape -> scrape.value("bazaar_circuit_breaker_state", Map.of("breaker", "payment-provider")) == 2);
      }
      assertThat(open).as("payment-service's payment-provider breaker reads 2 (open)").isNotNull();
      Map<String, String> provider = Map.of("breaker", "payment-provider", "service", "payment-provider");
      assertThat(open.value("bazaar_circuit_breaker_calls_total", with(provider, "outcome", "failure"))).isGreaterThanOrEqualTo(5);
      assertThat(open.value("bazaar_circuit_breaker_transitions_total", with(provider, "state", "open"))).isGreaterThanOrEqualTo(1);
      assertThat(open.find("bazaar_circuit_breaker_calls_total", with(provider, "outcome", "rejected"))).isNotEmpty();
      assertThat(open.samples).anyMatch(s -> s.name.equals("vertx_http_client_response_time_seconds_bucket")
        && "/v1/charges".equals(s.labels.get("route")) && "503".equals(s.labels.get("code")));
    } finally {
      assertThat(cluster.postDirect(cluster.providerPort, "/admin/faults", "{\"outage\":false}").statusCode()).isEqualTo(200);
    }
    // back to normal: the next charge is the half-open breaker's trial call, and closes it
    order("tok_ok");
    awaitScrape("the payment-provider breaker closed again", paymentServicePort,
      scrape -> scrape.value("bazaar_circuit_breaker_state", Map.of("breaker", "payment-provider")) == 0);
    settledOutcomes();
  }

  @Test
  @Order(3)
  void theGatewayReportsRoutesBreakersAndRateLimitsWithBoundedLabels() throws Exception {
    Scrape gateway = scrape(cluster.gatewayManagementPort);
    // the proxy is one wildcard route (/api/*); each request is labelled with its routing-table prefix, never the raw path
    assertThat(gateway.samples).as("gateway latency buckets per routing-table entry")
      .anyMatch(s -> s.name.equals("vertx_http_server_response_time_seconds_bucket")
        && s.labels.getOrDefault("route", "").endsWith("/api/v1/orders") && "0.25".equals(s.labels.get("le")));
    assertThat(gateway.samples).anyMatch(s -> s.name.equals("vertx_http_client_response_time_seconds_bucket")
      && "/api/v1/orders/:id".equals(s.labels.get("route")));
    assertThat(gateway.value("bazaar_circuit_breaker_state", Map.of("breaker", "order-service"))).isEqualTo(0);
    assertThat(gateway.samples).anyMatch(s -> s.name.equals("bazaar_circuit_breaker_calls_total")
      && "order-service".equals(s.labels.get("service")) && s.labels.get("breaker").startsWith("order-service@")
      && "success".equals(s.labels.get("outcome")) && s.value >= orders.size());
    assertThat(gateway.find("bazaar_gateway_rate_limited_total", Map.of("scope", "user"))).isNotEmpty();
    assertThat(gateway.find("bazaar_gateway_rate_limited_total", Map.of("scope", "ip"))).isNotEmpty();

    for (Scrape scrape : List.of(gateway, scrape(orderServicePort), scrape(paymentServicePort))) {
      assertThat(scrape.samples).as("labels with a raw id").noneMatch(s -> s.labels.values().stream()
        .anyMatch(value -> UUID_TEXT.matcher(value).find()));
      assertThat(scrape.samples).as("unbounded histograms").noneMatch(s -> s.name.endsWith("_bucket")
        && (s.name.contains("bytes") || s.name.startsWith("jvm_")));
    }
  }

  // ---- helpers

  static void assertServerLatencyHistogram(Scrape scrape, String route) {
    assertThat(scrape.find("vertx_http_server_response_time_seconds_bucket", Map.of("route", route, "le", "0.25")))
      .as("latency buckets of route %s", route).isNotEmpty();
  }

  static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(key, value);
    return all;
  }

  static String product(int stock) throws Exception {
    HttpResponse<String> created = cluster.post("/api/v1/products", new JsonObject().put("sku", "METRICS-" + System.nanoTime())
      .put("name", "Metrics").put("description", "for the metrics test").put("priceCents", 300).put("currency", "EUR").encode(), admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = new JsonObject(created.body()).getString("id");
    HttpResponse<String> stocked = cluster.put("/api/v1/inventory/" + id, "{\"available\":" + stock + "}", admin);
    assertThat(stocked.statusCode()).as("%s", stocked.body()).isEqualTo(200);
    return id;
  }

  static void order(String token) throws Exception {
    HttpResponse<String> placed = cluster.post("/api/v1/orders", new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("productId", product).put("quantity", 1)))
      .put("payment", new JsonObject().put("token", token)).encode(), customer);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
    orders.add(new JsonObject(placed.body()).getString("id"));
    // a GET by id, so that the route template shows up in the latency histograms
    assertThat(cluster.get("/api/v1/orders/" + orders.get(orders.size() - 1), customer).statusCode()).isEqualTo(200);
  }

  /** Waits until every order placed so far is settled; how many ended how ({@code outcome/reason}). */
  static Map<String, Integer> settledOutcomes() {
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (String id : orders) {
      JsonObject[] last = new JsonObject[1];
      cluster.await("order " + id + " settled", SETTLE, () -> {
        try {
          HttpResponse<String> response = cluster.get("/api/v1/orders/" + id, customer);
          last[0] = response.statusCode() == 200 ? new JsonObject(response.body()) : null;
          return last[0] != null && !"PENDING".equals(last[0].getString("status"));
        } catch (Exception e) {
          return false;
        }
      });
      String key = "CONFIRMED".equals(last[0].getString("status"))
        ? "confirmed/payment_succeeded"
        : "cancelled/" + last[0].getString("reason");
      outcomes.merge(key, 1, Integer::sum);
    }
    return outcomes;
  }

  /** The port of the first instance of {@code service} in the gateway's admin view of discovery. */
  static int port(String service) throws Exception {
    return cluster.instancePort(service, admin);
  }

  static Scrape awaitScrape(String what, int port, Predicate<Scrape> condition) {
    Scrape[] last = new Scrape[1];
    cluster.await(what, SETTLE, () -> {
      try {
        last[0] = scrape(port);
        return condition.test(last[0]);
      } catch (Exception e) {
        return false;
      }
    });
    return last[0];
  }

  /** The first scrape within {@code deadline} that satisfies {@code condition}, or null (the caller tries again). */
  static Scrape tryScrape(Duration deadline, int port, Predicate<Scrape> condition) {
    Scrape[] last = new Scrape[1];
    try {
      Awaitility.await().atMost(deadline).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
        last[0] = scrape(port);
        return condition.test(last[0]);
      });
      return last[0];
    } catch (ConditionTimeoutException e) {
      return null;
    }
  }

  static Scrape scrape(int port) throws Exception {
    HttpResponse<String> response = cluster.getDirect(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    // kept for whoever reads a failure
    Files.writeString(Path.of("target", "metrics-" + port + ".txt"), response.body());
    return Scrape.parse(response.body());
  }

  /** One sample of the Prometheus text format. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  /** A parsed {@code /metrics} page. */
  record Scrape(List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Scrape parse(String text) {
      List<Sample> samples = new ArrayList<>();
      for (String line : text.split("\n")) {
        Matcher m = LINE.matcher(line.trim());
        if (line.startsWith("#") || !m.matches()) {
          continue;
        }
        Map<String, String> labels = new HashMap<>();
        if (m.group(2) != null) {
          Matcher label = LABEL.matcher(m.group(2));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
        }
        String value = m.group(3);
        samples.add(new Sample(m.group(1), labels, value.equals("+Inf") ? Double.POSITIVE_INFINITY
          : value.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value)));
      }
      return new Scrape(samples);
    }

    /** The samples of {@code name} whose labels include {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
      return samples.stream()
        .filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
        .toList();
    }

    /** The sum of those samples' values; NaN when there is none. */
    double value(String name, Map<String, String> labels) {
      List<Sample> found = find(name, labels);
      return found.isEmpty() ? Double.NaN : found.stream().mapToDouble(Sample::value).sum();
    }
  }
}
