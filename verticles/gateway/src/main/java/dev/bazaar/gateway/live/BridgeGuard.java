package dev.bazaar.gateway.live;

import dev.bazaar.gateway.live.BridgeMetrics.Refusal;
import dev.bazaar.gateway.ratelimit.TokenBucket;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides every event of the event-bus bridge of one event loop (DESIGN §3 "Live"):
 * <ul>
 *   <li>a register frame needs {@code headers.Authorization: Bearer <jwt>}; {@code notifications.<userId>}
 *       is that user's or an admin's, {@code ops.events} an admin's; any other address is refused;</li>
 *   <li>sends and publishes are refused: clients only listen;</li>
 *   <li>a frame over {@code maxFrameBytes} is refused; a connection sending faster than its token
 *       bucket allows is closed, and so is one whose registration's token expired;</li>
 *   <li>a registration that took effect is acknowledged with {@code {"type":"registered","address"}},
 *       so that a client knows from when on it receives.</li>
 * </ul>
 * A refused frame is answered {@code {"type":"err","address"?,"failureCode","failureType":"RECIPIENT_FAILURE","message"}}
 * (the bridge adds its own {@code "rejected"}), and counted in {@code bazaar_bridge_refused_total}.
 * Runs on its event loop only: the state of its connections needs no locking.
 */
final class BridgeGuard implements Handler<BridgeEvent> {
  private static final String BEARER = "Bearer ";

  /** What the guard knows of one connection: its rate, and when each of its registrations' tokens expire. */
  private static final class Connection {
    final TokenBucket frames;
    final Map<String, Long> expiresAtMs = new HashMap<>();
    boolean closing;

    Connection(TokenBucket frames) {
      this.frames = frames;
    }
  }

  private final Context context;
  private final JwtVerifier verifier;
  private final LiveSettings settings;
  private final BridgeMetrics metrics;
  private final Map<SockJSSocket, Connection> connections = new HashMap<>();

  BridgeGuard(Context context, JwtVerifier verifier, LiveSettings settings, BridgeMetrics metrics) {
    this.context = context;
    this.verifier = verifier;
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> opened(event);
      case SOCKET_CLOSED -> {
        if (connections.remove(event.socket()) != null) {
          metrics.closed();
        }
        event.complete(true);
      }
      case SOCKET_PING -> {
        if (admitted(event)) {
          event.complete(true);
        }
      }
      case SEND, PUBLISH -> {
        if (admitted(event)) {
          refuse(event, Refusal.INBOUND, 403, "Clients of the bridge only listen: sends and publishes are refused.");
        }
      }
      case REGISTER -> {
        if (admitted(event)) {
          register(event);
        }
      }
      case UNREGISTER -> {
        Connection connection = connections.get(event.socket());
        if (connection != null) {
          connection.expiresAtMs.remove(event.getRawMessage().getString("address"));
        }
        event.complete(true);
      }
      case REGISTERED -> {
        String address = event.getRawMessage().getString("address");
        metrics.registered(LiveAddresses.kind(address));
        event.socket().write(new JsonObject().put("type", "registered").put("address", address).encode());
        event.complete(true);
      }
      case RECEIVE -> receive(event);
      default -> event.complete(true);
    }
  }

  private void opened(BridgeEvent event) {
    if (metrics.connections() >= settings.maxConnections()) {
      metrics.refused(Refusal.CONNECTIONS);
      event.complete(false);
      return;
    }
    connections.put(event.socket(), new Connection(new TokenBucket(settings.frameBurst(), settings.framesPerSecond(), System.nanoTime())));
    metrics.opened();
    event.complete(true);
  }

  /**
   * Whether the frame of {@code event} may be looked at: within its connection's rate and size.
   * When not, the event is already completed (and a flooding connection closed).
   */
  private boolean admitted(BridgeEvent event) {
    Connection connection = connections.get(event.socket());
    if (connection == null || connection.closing) {
      event.complete(false);
      return false;
    }
    if (!connection.frames.tryTake(System.nanoTime()).allowed()) {
      close(event, connection, Refusal.FLOOD, 429, "More than " + settings.framesPerSecond() + " frames per second: the connection is closed.");
      return false;
    }
    JsonObject frame = event.getRawMessage();
    if (frame != null && frame.toBuffer().length() > settings.maxFrameBytes()) {
      refuse(event, Refusal.OVERSIZED, 413, "A frame may hold at most " + settings.maxFrameBytes() + " bytes.");
      return false;
    }
    return true;
  }

  private void register(BridgeEvent event) {
    String address = event.getRawMessage().getString("address");
    Optional<String> owner = LiveAddresses.notificationsOwner(address);
    boolean ops = LiveAddresses.OPS_EVENTS.equals(address);
    if (owner.isEmpty() && !ops) {
      refuse(event, Refusal.ADDRESS, 404, "Clients may listen to notifications.<userId> and ops.events only.");
      return;
    }
    String token = bearer(event.getRawMessage().getValue("headers"));
    if (token == null) {
      refuse(event, Refusal.TOKEN, 401, "A register frame needs the header Authorization: Bearer <token>.");
      return;
    }
    verifier.verify(token).onComplete(verified -> context.runOnContext(v -> {
      Connection connection = connections.get(event.socket());
      if (connection == null || connection.closing) {
        event.complete(false);
      } else if (verified.failed()) {
        boolean unavailable = verified.cause() instanceof ApiException problem && problem.status() == 503;
        refuse(event, unavailable ? Refusal.UNAVAILABLE : Refusal.TOKEN, unavailable ? 503 : 401,
          unavailable ? "Tokens cannot be verified right now; try again." : "The token is missing, invalid or expired.");
      } else if (ops ? !verified.result().isAdmin() : !verified.result().mayAccess(owner.get())) {
        refuse(event, Refusal.FORBIDDEN, 403, ops ? "ops.events needs the admin role." : "These are another user's notifications.");
      } else {
        connection.expiresAtMs.put(address, verified.result().expiresAtEpochSecond() * 1000);
        event.complete(true);
      }
    }));
  }

  /** Lets a message out to a client only while the token its registration was made with is valid. */
  private void receive(BridgeEvent event) {
    Connection connection = connections.get(event.socket());
    String address = event.getRawMessage().getString("address");
    Long expiresAt = connection == null ? null : connection.expiresAtMs.get(address);
    if (connection == null || connection.closing || expiresAt == null) {
      event.complete(false);
    } else if (System.currentTimeMillis() >= expiresAt) {
      close(event, connection, Refusal.EXPIRED, 401, "The token of the registration for " + address + " expired: log in again.");
    } else {
      metrics.pushed(LiveAddresses.kind(address));
      event.complete(true);
    }
  }

  private void refuse(BridgeEvent event, Refusal reason, int code, String message) {
    metrics.refused(reason);
    JsonObject err = new JsonObject().put("type", "err");
    String address = event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
    if (address != null && address.length() <= 128) {
      err.put("address", address);
    }
    event.socket().write(err.put("failureCode", code).put("failureType", "RECIPIENT_FAILURE").put("message", message).encode());
    event.complete(false);
  }

  private void close(BridgeEvent event, Connection connection, Refusal reason, int code, String message) {
    refuse(event, reason, code, message);
    connection.closing = true;
    event.socket().close();
  }

  private static String bearer(Object headers) {
    if (!(headers instanceof JsonObject json) || !(json.getValue("Authorization") instanceof String value)
      || !value.startsWith(BEARER) || value.length() > 8192) {
      return null;
    }
    return value.substring(BEARER.length()).trim();
  }
}
