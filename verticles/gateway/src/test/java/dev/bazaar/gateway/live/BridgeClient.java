package dev.bazaar.gateway.live;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bridge client over the raw WebSocket endpoint ({@code /eventbus/websocket}: one bridge frame
 * per message), recording every frame it receives and when, for the tests to wait on.
 */
final class BridgeClient implements AutoCloseable {
  /** A frame and the {@link System#nanoTime()} it arrived at. */
  record Received(JsonObject frame, long atNanos) {
  }

  private final WebSocket socket;
  private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
  private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();

  private BridgeClient(WebSocket socket) {
    this.socket = socket;
    // the bridge writes its own frames as binary messages, the guard's as text
    socket.textMessageHandler(text -> frames.add(new Received(new JsonObject(text), System.nanoTime())));
    socket.binaryMessageHandler(data -> frames.add(new Received(new JsonObject(data), System.nanoTime())));
    socket.closeHandler(v -> closed.complete(null));
  }

  /**
   * Connects through {@code client}, which the caller keeps: Vert.x closes a client, and every
   * connection it holds, once the client is garbage (its cleaner), even during a handshake.
   */
  static Future<BridgeClient> connect(WebSocketClient client, int port) {
    return client
      .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
      .map(BridgeClient::new);
  }

  Future<Void> send(JsonObject frame) {
    return socket.writeTextMessage(frame.encode());
  }

  Future<Void> register(String address, String token) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    return send(frame);
  }

  /** The next frame that matches {@code what}, skipping others; fails after {@code within}. */
  Received next(Predicate<JsonObject> what, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    java.util.List<JsonObject> skipped = new java.util.ArrayList<>();
    for (long left = within.toNanos(); left > 0; left = end - System.nanoTime()) {
      Received received = frames.poll(left, TimeUnit.NANOSECONDS);
      if (received != null && what.test(received.frame())) {
        return received;
      }
      if (received != null && skipped.size() < 20) {
        skipped.add(received.frame());
      }
    }
    throw new AssertionError("no matching frame within " + within.toMillis() + " ms; skipped " + skipped);
  }

  /** Waits for the acknowledgement of a registration of {@code address}. */
  void awaitRegistered(String address) throws InterruptedException {
    next(f -> "registered".equals(f.getString("type")) && address.equals(f.getString("address")), Duration.ofSeconds(10));
  }

  /** Waits for the bridge's refusal of a frame on {@code address} (null: a frame without one). */
  JsonObject awaitRefusal(String address) throws InterruptedException {
    return next(f -> "err".equals(f.getString("type")) && f.containsKey("failureCode")
      && (address == null || address.equals(f.getString("address"))), Duration.ofSeconds(10)).frame();
  }

  /** Whether the server closed the connection within {@code within}. */
  boolean closedWithin(Duration within) throws InterruptedException {
    try {
      closed.get(within.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** Every frame received so far and not yet taken. */
  java.util.List<JsonObject> drain() {
    java.util.List<Received> all = new java.util.ArrayList<>();
    frames.drainTo(all);
    return all.stream().map(Received::frame).toList();
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
