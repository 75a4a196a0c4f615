package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One order through the real jars, traced into a real Zipkin: the trace id of the gateway's
 * {@code traceparent} answer is fetched from Zipkin's API and holds the spans of every service the
 * order went through, the Kafka hops included (a consumer's span is a child of the producer's
 * publish span of the service that wrote the event), and the database queries.
 */
@ExtendWith(BazaarCluster.Closing.class)
class TracingIT {
  static final String[] SERVICES = BazaarCluster.domainServices();
  static BazaarCluster cluster;
  static int zipkinPort;
  static String admin;
  static String customer;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring(SERVICES).withSaga(30);
    zipkinPort = URI.create(cluster.withTracing()).getPort();
    cluster.startAll(SERVICES);
    admin = cluster.adminToken();
    customer = cluster.newCustomer("traced");
  }

  @Test
  void oneOrderIsOneTraceAcrossHttpEventBusKafkaAndPostgres() throws Exception {
    HttpResponse<String> created = cluster.post("/api/v1/products", new JsonObject().put("sku", "TRACE-" + System.nanoTime())
      .put("name", "Traced lamp").put("description", "for the tracing test").put("priceCents", 700).put("currency", "EUR").encode(), admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String product = new JsonObject(created.body()).getString("id");
    HttpResponse<String> stocked = cluster.put("/api/v1/inventory/" + product, "{\"available\":10}", admin);
    assertThat(stocked.statusCode()).as("%s", stocked.body()).isEqualTo(200);

    HttpResponse<String> placed = cluster.post("/api/v1/orders", new JsonObject()
      .put("items", new JsonArray().add(new JsonObject().put("productId", product).put("quantity", 1)))
      .put("payment", new JsonObject().put("token", "tok_ok")).encode(), customer);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
    String traceparent = placed.headers().firstValue("traceparent").orElseThrow();
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    String traceId = traceparent.substring(3, 35);
    String gatewaySpan = traceparent.substring(36, 52);
    String orderId = new JsonObject(placed.body()).getString("id");

    // every hop has reported once the last one (notification-service's consumer) is in Zipkin
    JsonArray[] trace = new JsonArray[1];
    cluster.await("the order's whole trace in Zipkin", Duration.ofSeconds(60), () -> {
      trace[0] = trace(traceId);
      return trace[0] != null && services(trace[0]).containsAll(Set.of("gateway", "order-service", "inventory-service",
        "payment-service", "payment-provider", "notification-service"))
        && spans(trace[0]).stream().anyMatch(s -> s.getString("name", "").startsWith("consume payment-events"))
        && spans(trace[0]).stream().anyMatch(s -> gatewaySpan.equals(s.getString("id")))
        // each service exports on its own schedule: the hops' publish spans may come after the consumers'
        && HOPS.stream().allMatch(hop -> hasHop(spans(trace[0]), hop));
    });
    List<JsonObject> spans = spans(trace[0]);
    Map<String, JsonObject> byId = spans.stream().collect(Collectors.toMap(s -> s.getString("id"), Function.identity(), (a, b) -> a));

    // the request: gateway server span (the root) → order-service server span, with SQL spans in order-service
    JsonObject root = byId.get(gatewaySpan);
    assertThat(service(root)).isEqualTo("gateway");
    assertThat(root.getString("kind")).isEqualTo("SERVER");
    assertThat(root.containsKey("parentId")).as("the gateway's span is the root").isFalse();
    // server spans are named by route (Zipkin lowercases names): the gateway's by its routing-table entry
    assertThat(root.getString("name")).isEqualTo("post /api/v1/orders");
    assertThat(spans).anyMatch(s -> service(s).equals("order-service") && "SERVER".equals(s.getString("kind"))
      && "post /api/v1/orders".equals(s.getString("name")));
    assertThat(spans).anyMatch(s -> service(s).equals("order-service") && "SERVER".equals(s.getString("kind"))
      && service(byId.get(s.getString("parentId"))).equals("gateway"));
    assertThat(spans).anyMatch(s -> service(s).equals("order-service") && "CLIENT".equals(s.getString("kind"))
      && tags(s).getString("db.query.text", "").contains("INSERT INTO orders"));

    // each Kafka hop: the consumer's span is a child of the producing service's publish span
    assertHop(spans, byId, "order-events", "order-service", "inventory-service");
    assertHop(spans, byId, "inventory-events", "inventory-service", "payment-service");
    assertHop(spans, byId, "payment-events", "payment-service", "order-service");
    // payment-service's charge call to the provider is in the trace
    assertThat(spans).anyMatch(s -> service(s).equals("payment-provider") && "SERVER".equals(s.getString("kind")));
    assertThat(spans).allMatch(s -> traceId.equals(s.getString("traceId")));
    assertThat(tagValues(spans, "bazaar.order.id")).contains(orderId);
  }

  /** A Kafka hop of the saga: {@code consumer} consumes {@code topic}, published by {@code producer}. */
  private record Hop(String topic, String producer, String consumer) {
  }

  private static final List<Hop> HOPS = List.of(new Hop("order-events", "order-service", "inventory-service"),
    new Hop("inventory-events", "inventory-service", "payment-service"), new Hop("payment-events", "payment-service", "order-service"));

  private static void assertHop(List<JsonObject> spans, Map<String, JsonObject> byId, String topic, String producer, String consumer) {
    assertThat(hasHop(spans, new Hop(topic, producer, consumer)))
      .as("%s consumes %s published by %s, in %s", consumer, topic, producer, spans).isTrue();
  }

  /** Whether the consumer's span of {@code hop} is a child of the producer's publish span. */
  private static boolean hasHop(List<JsonObject> spans, Hop hop) {
    Map<String, JsonObject> byId = spans.stream().collect(Collectors.toMap(s -> s.getString("id"), Function.identity(), (a, b) -> a));
    return spans.stream().anyMatch(s -> service(s).equals(hop.consumer()) && "CONSUMER".equals(s.getString("kind"))
      && s.getString("name", "").startsWith("consume " + hop.topic())
      && byId.containsKey(s.getString("parentId", ""))
      && service(byId.get(s.getString("parentId"))).equals(hop.producer())
      && byId.get(s.getString("parentId")).getString("name", "").equals("publish " + hop.topic())
      && "PRODUCER".equals(byId.get(s.getString("parentId")).getString("kind")));
  }

  private static JsonArray trace(String traceId) {
    try {
      HttpResponse<String> response = cluster.getDirect(zipkinPort, "/api/v2/trace/" + traceId);
      return response.statusCode() == 200 ? new JsonArray(response.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static List<JsonObject> spans(JsonArray trace) {
    return trace.stream().map(o -> (JsonObject) o).toList();
  }

  private static Set<String> services(JsonArray trace) {
    return spans(trace).stream().map(TracingIT::service).collect(Collectors.toSet());
  }

  private static String service(JsonObject span) {
    if (span == null) {
      return "";
    }
    JsonObject endpoint = span.getJsonObject("localEndpoint");
    return endpoint == null ? "" : endpoint.getString("serviceName", "");
  }

  private static JsonObject tags(JsonObject span) {
    JsonObject tags = span.getJsonObject("tags");
    return tags == null ? new JsonObject() : tags;
  }

  private static Set<String> tagValues(List<JsonObject> spans, String tag) {
    return spans.stream().map(s -> tags(s).getString(tag)).filter(v -> v != null).collect(Collectors.toSet());
  }
}
