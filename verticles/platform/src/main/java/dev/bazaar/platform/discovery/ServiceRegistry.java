package dev.bazaar.platform.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.Status;
import io.vertx.servicediscovery.types.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's view of the services in the cluster, and its own instances in it.
 * <p>
 * Routing never waits on the data grid: callers read {@link DiscoveryView}, kept in memory from
 * three sources that need no cluster-wide query —
 * <ul>
 *   <li>heartbeats: every instance publishes its record on the event bus every
 *       {@code heartbeatMs}; an instance unheard of for {@code ttlMs} (frozen, cut off, event
 *       loop stuck) stops being routed to, and comes back with its next heartbeat;</li>
 *   <li>cluster membership: a member that leaves (a kill -9 is noticed in well under a second)
 *       takes its instances out of the view at once;</li>
 *   <li>a graceful stop announces the instance's departure the same way.</li>
 * </ul>
 * The vertx-service-discovery records in the grid are the durable copy for whoever joins later
 * and for tools: written in the background (never awaited by a caller), read back by a re-sync
 * every {@code resyncMs} that runs one at a time with a deadline, and leaves the view as it is when
 * the grid does not answer (migrating, merging). The re-sync also removes the records of members
 * that are gone, which the default backend would keep forever (vertx-service-discovery#32).
 */
public final class ServiceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);
  public static final String ANNOUNCE_ADDRESS = "bazaar.discovery.announce";
  public static final String HEARTBEAT_ADDRESS = "bazaar.discovery.heartbeat";
  private static final DeliveryOptions UNTRACED = new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE);
  private static final long GRID_TIMEOUT_MS = 5000;
  private static final long GRID_WRITE_EVERY_MS = 15_000;
  private static final long MISS_RESYNC_INTERVAL_MS = 250;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final ClusterMembership membership;
  private final DiscoveryView view;
  private final long heartbeatMs;
  private final long ttlMs;
  private final long resyncMs;
  private final Map<String, OwnRecord> own = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> heartbeats;
  private final long heartbeatTimer;
  private final long resyncTimer;
  private volatile Future<Void> resync;
  private volatile long missResyncAt;

  /** A record this JVM published; {@code gridWrite} is the grid write in flight, if any (one at a time). */
  private static final class OwnRecord {
    final Record record;
    Future<?> gridWrite = Future.succeededFuture();
    long gridWrittenAt;

    OwnRecord(Record record) {
      this.record = record;
    }
  }

  private ServiceRegistry(Vertx vertx, long heartbeatMs, long ttlMs, long resyncMs) {
    this.vertx = vertx;
    this.heartbeatMs = heartbeatMs;
    this.ttlMs = ttlMs;
    this.resyncMs = resyncMs;
    this.view = new DiscoveryView(ttlMs);
    this.discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions().setAnnounceAddress(ANNOUNCE_ADDRESS));
    this.membership = ClusterMembership.of(vertx);
    this.membership.onMemberRemoved(nodeId -> vertx.runOnContext(v -> nodeLeft(nodeId)));
    this.heartbeats = vertx.eventBus().consumer(HEARTBEAT_ADDRESS, message -> onHeartbeat(message.body()));
    this.heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> heartbeat());
    this.resyncTimer = vertx.setPeriodic(resyncMs, id -> resync());
  }

  /**
   * Creates the registry of this JVM; call from the verticle that owns it (its context runs the
   * timers). Completes once the first re-sync from the grid ended or after its deadline, whichever
   * comes first: a grid that does not answer delays a start by seconds, never blocks it.
   */
  public static Future<ServiceRegistry> create(Vertx vertx, long heartbeatMs, long ttlMs, long resyncMs) {
    ServiceRegistry registry = new ServiceRegistry(vertx, heartbeatMs, ttlMs, resyncMs);
    return registry.heartbeats.completion()
      .transform(ar -> registry.resync())
      .transform(ar -> Future.succeededFuture(registry));
  }

  /**
   * Heartbeat every second, TTL 5 s (a frozen or cut-off instance stops being routed to within
   * ~5 s), re-sync from the grid every 30 s.
   */
  public static Future<ServiceRegistry> create(Vertx vertx) {
    return create(vertx, 1000, 5000, 30000);
  }

  public ClusterMembership membership() {
    return membership;
  }

  /**
   * Publishes an HTTP endpoint of this JVM under {@code service}, with the instance metadata
   * callers need. Other JVMs see it with its first heartbeat, sent at once; the grid record is
   * written in the background.
   */
  public Future<ServiceInstance> publishHttp(String service, String host, int port) {
    long now = System.currentTimeMillis();
    JsonObject metadata = new JsonObject()
      .put(ServiceInstance.INSTANCE_ID, service + "-" + UUID.randomUUID().toString().substring(0, 8))
      .put(ServiceInstance.NODE_ID, membership.localNodeId().orElse(null))
      .put(ServiceInstance.PID, ProcessHandle.current().pid())
      .put(ServiceInstance.STARTED_AT, now)
      .put(ServiceInstance.HEARTBEAT_AT, now);
    Record record = HttpEndpoint.createRecord(service, host, port, "/", metadata).setStatus(Status.UP);
    ServiceInstance instance = ServiceInstance.fromRecord(record);
    own.put(instance.instanceId(), new OwnRecord(record));
    view.seen(instance, now, now);
    heartbeat();
    LOG.info("published {} {} at {}", service, instance.instanceId(), instance.address());
    return Future.succeededFuture(instance);
  }

  /** Withdraws every instance this JVM published: announced at once, grid records removed within a deadline. */
  public Future<Void> withdrawAll() {
    List<Future<?>> removals = new ArrayList<>();
    own.values().forEach(entry -> {
      Record leaving = new Record(entry.record.toJson()).setStatus(Status.DOWN);
      vertx.eventBus().publish(HEARTBEAT_ADDRESS, leaving.toJson(), UNTRACED);
      view.remove(ServiceInstance.fromRecord(leaving).instanceId(), System.currentTimeMillis());
      if (entry.record.getRegistration() != null) {
        removals.add(discovery.unpublish(entry.record.getRegistration()).timeout(GRID_TIMEOUT_MS, TimeUnit.MILLISECONDS));
      }
    });
    own.clear();
    return Future.join(removals).<Void>mapEmpty().otherwiseEmpty();
  }

  public Future<Void> close() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(resyncTimer);
    membership.close();
    return withdrawAll()
      .eventually(heartbeats::unregister)
      .onComplete(ar -> discovery.close())
      .mapEmpty();
  }

  /** Live instances of {@code service} (heard of within the TTL, node a member), in stable order. */
  public List<ServiceInstance> instances(String service) {
    return view.routable().getOrDefault(service, List.of());
  }

  /** Every live instance, per service name. */
  public Map<String, List<ServiceInstance>> snapshot() {
    return view.routable();
  }

  /**
   * Live instances of {@code service}; when none is known, the grid is asked first (the one
   * re-sync in flight is shared, and a new one starts at most every
   * {@value #MISS_RESYNC_INTERVAL_MS} ms), within the re-sync's deadline.
   */
  public Future<List<ServiceInstance>> instancesOrReload(String service) {
    List<ServiceInstance> known = instances(service);
    if (!known.isEmpty()) {
      return Future.succeededFuture(known);
    }
    long now = System.currentTimeMillis();
    Future<Void> reload;
    if (now - missResyncAt < MISS_RESYNC_INTERVAL_MS && resync != null) {
      reload = resync;
    } else {
      missResyncAt = now;
      reload = resync();
    }
    return reload.otherwiseEmpty().map(v -> instances(service));
  }

  /**
   * Reads the grid's records into the view, one read at a time, within {@value #GRID_TIMEOUT_MS} ms;
   * a read that fails or times out leaves the view as it was.
   */
  public Future<Void> resync() {
    if (resync != null && !resync.isComplete()) {
      return resync;
    }
    resync = discovery.getRecords(record -> true, true)
      .timeout(GRID_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .map(records -> {
        merge(records);
        return (Void) null;
      })
      .onFailure(e -> LOG.warn("discovery re-sync from the grid failed, routing stays on the last view: {}", e.getMessage()));
    return resync;
  }

  private void merge(List<Record> records) {
    long now = System.currentTimeMillis();
    for (Record record : records) {
      if (!HttpEndpoint.TYPE.equals(record.getType()) || record.getStatus() != Status.UP) {
        continue;
      }
      ServiceInstance instance = ServiceInstance.fromRecord(record);
      if (own.containsKey(instance.instanceId())) {
        continue;
      }
      if (!membership.isMember(instance.nodeId())) {
        removeFromGrid(instance, "its node left the cluster");
      } else if (now - instance.heartbeatAt() > 2 * GRID_WRITE_EVERY_MS + ttlMs) {
        removeFromGrid(instance, "its heartbeat stopped");
      } else {
        view.seen(instance, Math.min(instance.heartbeatAt(), now), now);
      }
    }
  }

  private void heartbeat() {
    long now = System.currentTimeMillis();
    membership.localNodeId().ifPresent(node -> own.values().forEach(entry -> entry.record.getMetadata().put(ServiceInstance.NODE_ID, node)));
    own.values().forEach(entry -> {
      entry.record.getMetadata().put(ServiceInstance.HEARTBEAT_AT, now);
      vertx.eventBus().publish(HEARTBEAT_ADDRESS, entry.record.toJson(), UNTRACED);
      writeToGrid(entry, now);
    });
    membership.refresh();
    view.expire(now, membership::isMember, 10 * ttlMs);
  }

  /** Publishes or refreshes {@code entry}'s grid record, at most every few seconds and one write at a time. */
  private void writeToGrid(OwnRecord entry, long now) {
    if (!entry.gridWrite.isComplete() || now - entry.gridWrittenAt < GRID_WRITE_EVERY_MS) {
      return;
    }
    entry.gridWrittenAt = now;
    Record copy = new Record(entry.record.toJson());
    Future<?> write = entry.record.getRegistration() == null
      ? discovery.publish(copy.setRegistration(null)).onSuccess(published -> entry.record.setRegistration(published.getRegistration()))
      : discovery.update(copy);
    entry.gridWrite = write
      .timeout(GRID_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onFailure(e -> LOG.warn("grid record of {} not written (routing is unaffected): {}", entry.record.getName(), e.getMessage()));
  }

  private void onHeartbeat(JsonObject json) {
    Record record = new Record(json);
    if (!HttpEndpoint.TYPE.equals(record.getType())) {
      return;
    }
    ServiceInstance instance = ServiceInstance.fromRecord(record);
    long now = System.currentTimeMillis();
    if (record.getStatus() == Status.UP) {
      view.seen(instance, now, now);
    } else if (view.remove(instance.instanceId(), now)) {
      LOG.info("{} {} at {} left", instance.service(), instance.instanceId(), instance.address());
    }
  }

  private void nodeLeft(String nodeId) {
    view.removeNode(nodeId, System.currentTimeMillis()).forEach(instance -> {
      LOG.info("evicted {} {} at {}: node {} left the cluster", instance.service(), instance.instanceId(), instance.address(), nodeId);
      removeFromGrid(instance, "its node left the cluster");
    });
  }

  private void removeFromGrid(ServiceInstance instance, String reason) {
    if (instance.registration() == null) {
      return;
    }
    discovery.unpublish(instance.registration())
      .timeout(GRID_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onSuccess(v -> LOG.info("removed the grid record of {} {}: {}", instance.service(), instance.instanceId(), reason))
      .onFailure(e -> LOG.debug("grid record {} not removed: {}", instance.registration(), e.getMessage()));
  }
}
