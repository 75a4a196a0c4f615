package dev.bazaar.platform.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import io.vertx.servicediscovery.Status;
import io.vertx.servicediscovery.types.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's view of vertx-service-discovery: publishes its own instances (withdrawn on graceful
 * stop), keeps a cached list of every live instance per service for callers, and evicts the
 * records of instances that died without saying so. The default backend keeps such records
 * forever (vertx-service-discovery#32), so two mechanisms remove them:
 * <ul>
 *   <li>cluster membership: when Hazelcast drops a member (kill -9 in ~0.3 s, frozen or cut off
 *       after max-no-heartbeat, ~5 s) its records are unpublished at once;</li>
 *   <li>heartbeat/TTL: every instance refreshes its record every {@code heartbeatMs}; a record not
 *       refreshed for {@code ttlMs} is ignored by callers and removed (event loop stuck, verticle
 *       gone while the JVM lives).</li>
 * </ul>
 * A live instance whose record was evicted (it was only frozen) puts it back with its next heartbeat.
 */
public final class ServiceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);
  public static final String ANNOUNCE_ADDRESS = "bazaar.discovery.announce";

  private final Vertx vertx;
  private final ServiceDiscovery discovery;
  private final ClusterMembership membership;
  private final long heartbeatMs;
  private final long ttlMs;
  private final Map<String, Record> own = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> announcements;
  private final long timer;
  private volatile Map<String, ServiceInstance> known = Map.of();
  private volatile Map<String, List<ServiceInstance>> byService = Map.of();
  private static final long MISS_RELOAD_INTERVAL_MS = 250;
  private volatile Future<Void> missReload;
  private volatile long missReloadAt;

  private ServiceRegistry(Vertx vertx, long heartbeatMs, long ttlMs) {
    this.vertx = vertx;
    this.heartbeatMs = heartbeatMs;
    this.ttlMs = ttlMs;
    this.discovery = ServiceDiscovery.create(vertx, new ServiceDiscoveryOptions().setAnnounceAddress(ANNOUNCE_ADDRESS));
    this.membership = ClusterMembership.of(vertx);
    this.membership.onMemberRemoved(nodeId -> vertx.runOnContext(v -> evictNode(nodeId)));
    this.announcements = vertx.eventBus().consumer(ANNOUNCE_ADDRESS, message -> onAnnouncement(new Record(message.body())));
    this.timer = vertx.setPeriodic(heartbeatMs, id -> tick());
  }

  /** Creates the registry of this JVM; call from the verticle that owns it (its context runs the timers). */
  public static Future<ServiceRegistry> create(Vertx vertx, long heartbeatMs, long ttlMs) {
    ServiceRegistry registry = new ServiceRegistry(vertx, heartbeatMs, ttlMs);
    return registry.refresh().map(registry);
  }

  /**
   * Heartbeat every 2 s, TTL 15 s. The TTL must outlast a cluster stall: while a frozen member
   * still owns partitions (until Hazelcast drops it, ~5 s, then migrates), heartbeats of healthy
   * instances can hang too, and a short TTL would evict them with the dead one.
   */
  public static Future<ServiceRegistry> create(Vertx vertx) {
    return create(vertx, 2000, 15000);
  }

  public ClusterMembership membership() {
    return membership;
  }

  /** Publishes an HTTP endpoint of this JVM under {@code service}, with the instance metadata callers need. */
  public Future<ServiceInstance> publishHttp(String service, String host, int port) {
    long now = System.currentTimeMillis();
    JsonObject metadata = new JsonObject()
      .put(ServiceInstance.INSTANCE_ID, service + "-" + UUID.randomUUID().toString().substring(0, 8))
      .put(ServiceInstance.NODE_ID, membership.localNodeId().orElse(null))
      .put(ServiceInstance.PID, ProcessHandle.current().pid())
      .put(ServiceInstance.STARTED_AT, now)
      .put(ServiceInstance.HEARTBEAT_AT, now);
    Record record = HttpEndpoint.createRecord(service, host, port, "/", metadata);
    return discovery.publish(record)
      .map(published -> {
        own.put(published.getRegistration(), published);
        ServiceInstance instance = ServiceInstance.fromRecord(published);
        upsert(instance);
        LOG.info("published {} {} at {}", service, instance.instanceId(), instance.address());
        return instance;
      });
  }

  /** Withdraws every record this JVM published. */
  public Future<Void> withdrawAll() {
    List<Future<Void>> removals = new ArrayList<>();
    own.keySet().forEach(registration -> removals.add(discovery.unpublish(registration).recover(e -> Future.succeededFuture())));
    own.clear();
    return Future.join(removals).mapEmpty();
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    membership.close();
    return withdrawAll()
      .eventually(() -> announcements.unregister())
      .onComplete(ar -> discovery.close())
      .mapEmpty();
  }

  /** Live instances of {@code service} (member of the cluster, heartbeat fresh), in stable order. */
  public List<ServiceInstance> instances(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** Every live instance, per service name. */
  public Map<String, List<ServiceInstance>> snapshot() {
    return byService;
  }

  /**
   * Live instances of {@code service}; when none is cached, the cache is reloaded from the backend
   * first (a missed announcement, e.g. one published while this node's subscription was still
   * propagating through the cluster, would otherwise hide a new service until the next heartbeat).
   * Concurrent callers share one reload, and a service still absent is not reloaded again for
   * {@value #MISS_RELOAD_INTERVAL_MS} ms, so an outage costs no extra load.
   */
  public Future<List<ServiceInstance>> instancesOrReload(String service) {
    List<ServiceInstance> cached = instances(service);
    if (!cached.isEmpty()) {
      return Future.succeededFuture(cached);
    }
    long now = System.currentTimeMillis();
    Future<Void> reload = missReload;
    if (reload == null || (reload.isComplete() && now - missReloadAt >= MISS_RELOAD_INTERVAL_MS)) {
      missReloadAt = now;
      reload = refresh();
      missReload = reload;
    }
    return reload.otherwiseEmpty().map(v -> instances(service));
  }

  /** Reloads the cache from the backend. */
  public Future<Void> refresh() {
    return discovery.getRecords(record -> true, true)
      .map(records -> {
        Map<String, ServiceInstance> fresh = new HashMap<>();
        for (Record record : records) {
          if (record.getStatus() == Status.UP && HttpEndpoint.TYPE.equals(record.getType())) {
            ServiceInstance instance = ServiceInstance.fromRecord(record);
            fresh.put(instance.registration(), instance);
          }
        }
        replace(fresh);
        return null;
      });
  }

  private void tick() {
    long now = System.currentTimeMillis();
    own.replaceAll((registration, record) -> {
      record.getMetadata().put(ServiceInstance.HEARTBEAT_AT, now);
      membership.localNodeId().ifPresent(node -> record.getMetadata().put(ServiceInstance.NODE_ID, node));
      discovery.update(record).onFailure(e -> LOG.warn("heartbeat of {} failed: {}", record.getName(), e.getMessage()));
      return record;
    });
    refresh()
      .onSuccess(v -> evictStale(now))
      .onFailure(e -> LOG.warn("discovery refresh failed: {}", e.getMessage()));
  }

  private void evictStale(long now) {
    known.values().stream()
      .filter(instance -> now - instance.heartbeatAt() > ttlMs || !membership.isMember(instance.nodeId()))
      .filter(instance -> !own.containsKey(instance.registration()))
      .forEach(instance -> unpublish(instance, now - instance.heartbeatAt() > ttlMs ? "heartbeat expired" : "node left"));
  }

  private void evictNode(String nodeId) {
    List<ServiceInstance> gone = known.values().stream().filter(i -> nodeId.equals(i.nodeId())).toList();
    gone.forEach(instance -> unpublish(instance, "node " + nodeId + " left the cluster"));
    refresh();
  }

  private void unpublish(ServiceInstance instance, String reason) {
    remove(instance.registration());
    discovery.unpublish(instance.registration())
      .onSuccess(v -> LOG.info("evicted {} {} at {}: {}", instance.service(), instance.instanceId(), instance.address(), reason))
      .onFailure(e -> LOG.debug("record {} already gone", instance.registration()));
  }

  private void onAnnouncement(Record record) {
    if (record.getRegistration() == null || !HttpEndpoint.TYPE.equals(record.getType())) {
      return;
    }
    if (record.getStatus() == Status.UP) {
      upsert(ServiceInstance.fromRecord(record));
    } else {
      remove(record.getRegistration());
    }
  }

  private synchronized void upsert(ServiceInstance instance) {
    Map<String, ServiceInstance> next = new HashMap<>(known);
    next.put(instance.registration(), instance);
    replace(next);
  }

  private synchronized void remove(String registration) {
    if (known.containsKey(registration)) {
      Map<String, ServiceInstance> next = new HashMap<>(known);
      next.remove(registration);
      replace(next);
    }
  }

  private synchronized void replace(Map<String, ServiceInstance> all) {
    long now = System.currentTimeMillis();
    Map<String, List<ServiceInstance>> grouped = new HashMap<>();
    all.values().stream()
      .filter(instance -> now - instance.heartbeatAt() <= ttlMs && membership.isMember(instance.nodeId()))
      .sorted(java.util.Comparator.comparing(ServiceInstance::instanceId))
      .forEach(instance -> grouped.computeIfAbsent(instance.service(), k -> new ArrayList<>()).add(instance));
    grouped.replaceAll((k, v) -> List.copyOf(v));
    known = Map.copyOf(all);
    byService = Map.copyOf(grouped);
  }
}
