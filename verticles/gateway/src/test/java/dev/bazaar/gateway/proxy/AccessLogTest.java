package dev.bazaar.gateway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log: one line per request, in the JVM's log format, written in batches, bounded. */
@ExtendWith(VertxExtension.class)
class AccessLogTest {

  @Test
  void everyRequestIsOneJsonLineWithTheLogFields(Vertx vertx, VertxTestContext test) throws Exception {
    Sink sink = new Sink();
    AccessLogWriter writer = new AccessLogWriter(sink, 64, 5, true, "gateway");
    Router router = Router.router(vertx);
    router.route().order(-1).handler(new AccessLog(writer));
    router.get("/things/:id").handler(ctx -> ctx.response().setStatusCode(204).end());
    // held until both requests are answered: Vert.x closes a client that became garbage
    WebClient client = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0).compose(server ->
      client.request(HttpMethod.GET, server.actualPort(), "localhost", "/things/7?x=%22q").send()
        .compose(first -> client.request(HttpMethod.GET, server.actualPort(), "localhost", "/nowhere").send())
    ).onComplete(test.succeedingThenComplete());
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    client.close();
    try (writer) {
      await().atMost(10, TimeUnit.SECONDS).until(() -> sink.lines().size() == 2);
      JsonObject line = new JsonObject(sink.lines().get(0));
      assertThat(line.getString("logger_name")).isEqualTo("access");
      assertThat(line.getString("level")).isEqualTo("INFO");
      assertThat(line.getString("service")).isEqualTo("gateway");
      assertThat(line.getString("thread_name")).startsWith("vert.x-eventloop-thread");
      assertThat(Instant.parse(line.getString("@timestamp"))).isBefore(Instant.now().plusSeconds(1));
      assertThat(line.getString("method")).isEqualTo("GET");
      assertThat(line.getString("path")).isEqualTo("/things/7");
      assertThat(line.getString("route")).isEqualTo("/things/:id");
      assertThat(line.getInteger("status")).isEqualTo(204);
      assertThat(line.getLong("durationMs")).isBetween(0L, 10_000L);
      assertThat(line.getString("user")).isEqualTo("-");
      assertThat(line.getString("traceId")).hasSize(32);
      assertThat(line.getString("message")).startsWith("method=GET path=/things/7 route=/things/:id status=204 durationMs=");
      JsonObject notFound = new JsonObject(sink.lines().get(1));
      assertThat(notFound.getInteger("status")).isEqualTo(404);
      assertThat(notFound.getString("path")).isEqualTo("/nowhere");
    }
  }

  @Test
  void textFormatIsTheLogPattern() {
    Sink sink = new Sink();
    try (AccessLogWriter writer = new AccessLogWriter(sink, 8, 5, false, null)) {
      writer.write(new AccessLogWriter.Entry(0, "loop-1", "POST", "/api/v1/orders", "/api/*", 202, 3, "u-1",
        "0af7651916cd43dd8448eb211c80319c", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));
      await().atMost(10, TimeUnit.SECONDS).until(() -> sink.lines().size() == 1);
    }
    assertThat(sink.lines().get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[loop-1] access - method=POST path=/api/v1/orders "
      + "route=/api/\\* status=202 durationMs=3 user=u-1 traceId=0af7651916cd43dd8448eb211c80319c "
      + "trace=0af7651916cd43dd8448eb211c80319c span=b7ad6b7169203331");
  }

  @Test
  void jsonStringsAreEscaped() {
    StringBuilder out = new StringBuilder();
    AccessLogWriter.string(out, "a\"b\\c\nd\u0001e/é");
    assertThat(new JsonObject("{\"v\":" + out + "}").getString("v")).isEqualTo("a\"b\\c\nd\u0001e/é");
    assertThat(out.toString()).startsWith("\"a\\\"b\\\\c\\nd\\u0001").endsWith("e/é\"");
  }

  @Test
  void aFullQueueDropsLinesInsteadOfWaitingAndCloseWritesTheRest() {
    Sink sink = new Sink();
    AccessLogWriter writer = new AccessLogWriter(sink, 2, 60_000, true, null);
    int accepted = 0;
    for (int i = 0; i < 10 && writer.dropped() == 0; i++) {
      if (writer.write(entry(i))) {
        accepted++;
      }
    }
    assertThat(writer.dropped()).isEqualTo(1);
    writer.close();
    assertThat(sink.lines()).hasSize(accepted);
    assertThat(writer.write(entry(99))).isFalse();
  }

  private static AccessLogWriter.Entry entry(int i) {
    return new AccessLogWriter.Entry(i, "t", "GET", "/p/" + i, "/p/:i", 200, 1, "-", "0".repeat(32), null, null);
  }

  /** What the writer wrote, as lines; written from the writer's thread, read from the test's. */
  private static final class Sink extends ByteArrayOutputStream {
    synchronized List<String> lines() {
      String text = toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
  }
}
