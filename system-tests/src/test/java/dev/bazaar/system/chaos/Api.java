package dev.bazaar.system.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The public API of a local Bazaar, as the chaos run uses it: the gateway and the payment-provider
 * simulator, both on loopback only (a chaos run never sends load anywhere else).
 */
public final class Api {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * An answer: its status, or a negative code for no answer ({@link #TIMEOUT_STATUS},
   * {@link #IO_STATUS}); its Retry-After in seconds, or -1.
   */
  public record Reply(int status, String body, long retryAfterSeconds) {
    Reply(int status, String body) {
      this(status, body, -1);
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public Map<String, Object> json() {
      return Json.object(body);
    }
  }

  public static final int TIMEOUT_STATUS = -1;
  public static final int IO_STATUS = -2;

  private final URI gateway;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4, daemon("chaos-http"))).build();

  public Api(String gatewayUrl) {
    this.gateway = loopback(gatewayUrl);
  }

  /**
   * {@code url} when its host is the loopback address, or the one host named in
   * {@code BAZAAR_CHAOS_HOST} (scripts/bazaar-hosts: a namespace of this machine); refuses anything else.
   */
  public static URI loopback(String url) {
    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())
      && !java.util.Objects.equals(uri.getHost(), System.getenv("BAZAAR_CHAOS_HOST"))) {
      throw new IllegalArgumentException("chaos only targets 127.0.0.1, not " + url);
    }
    return uri;
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  public URI gateway() {
    return gateway;
  }

  /** Sends without waiting; the future always completes, with a negative status when nothing answered. */
  public CompletableFuture<Reply> sendAsync(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
      .thenApply(response -> new Reply(response.statusCode(), response.body(), response.headers().firstValue("Retry-After")
        .filter(v -> v.matches("[0-9]{1,4}")).map(Long::parseLong).orElse(-1L)))
      .exceptionally(error -> new Reply(isTimeout(error) ? TIMEOUT_STATUS : IO_STATUS, String.valueOf(error.getMessage())));
  }

  private static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.net.http.HttpTimeoutException) {
        return true;
      }
    }
    return false;
  }

  public Reply send(String method, URI uri, String json, String token, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
      .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return sendAsync(request.build()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(IO_STATUS, "interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      return new Reply(IO_STATUS, String.valueOf(e.getCause()));
    }
  }

  public Reply get(String path, String token) {
    return send("GET", gateway.resolve(path), null, token, TIMEOUT);
  }

  public Reply get(String path, String token, Duration timeout) {
    return send("GET", gateway.resolve(path), null, token, timeout);
  }

  /** A request that must succeed with {@code expected}; setup steps fail loudly. */
  public Map<String, Object> expect(int expected, String method, String path, Object body, String token) {
    Reply reply = send(method, gateway.resolve(path), body == null ? null : Json.write(body), token, TIMEOUT);
    if (reply.status() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + reply.status() + " (expected " + expected + "): "
        + Json.abbreviate(reply.body()));
    }
    return reply.body().isBlank() ? Map.of() : reply.json();
  }

  public String login(String email, String password) {
    return Json.string(expect(200, "POST", "/api/v1/auth/login", Map.of("email", email, "password", password), null), "token");
  }

  /** Registers a new customer and returns their token. */
  public String newCustomer(String email, String password) {
    expect(201, "POST", "/api/v1/auth/register", Map.of("email", email, "password", password, "name", "Chaos"), null);
    return login(email, password);
  }

  /** Creates a product with {@code stock} units available and returns its id. */
  public String newProduct(String admin, String sku, long stock) {
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("sku", sku);
    product.put("name", "Chaos " + sku);
    product.put("description", "stock for a chaos run");
    product.put("priceCents", 250);
    product.put("currency", "EUR");
    String id = Json.string(expect(201, "POST", "/api/v1/products", product, admin), "id");
    expect(200, "PUT", "/api/v1/inventory/" + id, Map.of("available", stock), admin);
    return id;
  }

  /** Stock available for sale now (public product read), or -1 when it could not be read. */
  public long available(String productId) {
    Reply reply = get("/api/v1/products/" + productId, null);
    return reply.status() == 200 ? Json.number(reply.json(), "available", -1) : -1;
  }

  /** Every item of a paged list ({@code path} has no page or size yet), or null when a page failed. */
  public List<Map<String, Object>> all(String path, String token) {
    List<Map<String, Object>> items = new ArrayList<>();
    String sep = path.contains("?") ? "&" : "?";
    for (int page = 0; page < 100_000; page++) {
      Reply reply = get(path + sep + "size=100&page=" + page, token);
      if (reply.status() != 200) {
        return null;
      }
      Map<String, Object> body = reply.json();
      List<Map<String, Object>> got = Json.objects(body.get("items"));
      items.addAll(got);
      if (got.isEmpty() || items.size() >= Json.number(body, "total", 0)) {
        return items;
      }
    }
    return items;
  }

  /** The {@code total} of a paged list, or -1 when it could not be read. */
  public long total(String path, String token) {
    Reply reply = get(path + (path.contains("?") ? "&" : "?") + "size=1", token);
    return reply.status() == 200 ? Json.number(reply.json(), "total", -1) : -1;
  }
}
