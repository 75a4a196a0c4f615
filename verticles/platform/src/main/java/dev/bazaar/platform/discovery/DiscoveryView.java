package dev.bazaar.platform.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one JVM knows of every service instance, in memory: the instance and when this JVM last
 * heard of it. Callers route from {@link #routable()}, a snapshot recomputed on every change and on
 * {@link #expire}, so a lookup is a map read that never waits on anything. An instance is routable
 * while it was heard of within the TTL and its node is a cluster member (with a fallback for a
 * service that has no such instance, see {@link #recompute}). Thread-safe: writers serialise on
 * the view, readers see an immutable snapshot.
 */
final class DiscoveryView {
  private record Entry(ServiceInstance instance, long seenAt) {
  }

  private final long ttlMs;
  private final Map<String, Entry> entries = new HashMap<>();
  private volatile Map<String, List<ServiceInstance>> routable = Map.of();
  private Predicate<String> isMember = node -> true;

  DiscoveryView(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  /** The routable instances per service, in stable order. */
  Map<String, List<ServiceInstance>> routable() {
    return routable;
  }

  /** Records that {@code instance} was heard of at {@code seenAt}; an older sighting never overrides a newer one. */
  synchronized void seen(ServiceInstance instance, long seenAt, long now) {
    Entry current = entries.get(instance.instanceId());
    if (current == null || current.seenAt() <= seenAt) {
      entries.put(instance.instanceId(), new Entry(instance, seenAt));
      recompute(now);
    }
  }

  synchronized boolean remove(String instanceId, long now) {
    boolean removed = entries.remove(instanceId) != null;
    if (removed) {
      recompute(now);
    }
    return removed;
  }

  /** Forgets every instance of {@code nodeId}; returns them. */
  synchronized List<ServiceInstance> removeNode(String nodeId, long now) {
    List<ServiceInstance> gone = entries.values().stream().map(Entry::instance)
      .filter(instance -> nodeId.equals(instance.nodeId())).toList();
    gone.forEach(instance -> entries.remove(instance.instanceId()));
    if (!gone.isEmpty()) {
      recompute(now);
    }
    return gone;
  }

  /**
   * Recomputes what is routable with the current membership; forgets instances unheard of for
   * {@code forgetAfterMs} (far longer than the TTL: a frozen instance comes back with its next
   * heartbeat either way, this only bounds the memory).
   */
  synchronized void expire(long now, Predicate<String> members, long forgetAfterMs) {
    isMember = members;
    entries.values().removeIf(entry -> now - entry.seenAt() > forgetAfterMs);
    recompute(now);
  }

  synchronized boolean knows(String instanceId) {
    return entries.containsKey(instanceId);
  }

  private boolean isRoutable(Entry entry, long now) {
    return now - entry.seenAt() <= ttlMs && isMember.test(entry.instance().nodeId());
  }

  /**
   * Per service, the instances heard of within the TTL whose node is a member; when a service has
   * none, its instances whose node is still a member, however long ago they were heard of. A
   * heartbeat that is late because the machine is starved (or this JVM was) must not make the
   * only instance of a service vanish: routing to it costs at worst a timeout, and its breaker
   * then answers fast, while "no instance" would fail every call and readiness with it. A frozen
   * instance among live ones is still left out; a dead one leaves with its node.
   */
  private void recompute(long now) {
    Map<String, List<ServiceInstance>> fresh = new HashMap<>();
    Map<String, List<ServiceInstance>> members = new HashMap<>();
    entries.values().stream()
      .filter(entry -> isMember.test(entry.instance().nodeId()))
      .sorted(Comparator.comparing(entry -> entry.instance().instanceId()))
      .forEach(entry -> {
        ServiceInstance instance = entry.instance();
        members.computeIfAbsent(instance.service(), k -> new ArrayList<>()).add(instance);
        if (isRoutable(entry, now)) {
          fresh.computeIfAbsent(instance.service(), k -> new ArrayList<>()).add(instance);
        }
      });
    Map<String, List<ServiceInstance>> grouped = new HashMap<>();
    members.forEach((service, all) -> grouped.put(service, List.copyOf(fresh.getOrDefault(service, all))));
    routable = Map.copyOf(grouped);
  }
}
