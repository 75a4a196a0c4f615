package dev.bazaar.platform.discovery;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Cluster membership as Hazelcast sees it. Listens to Hazelcast's own membership events: Vert.x's
 * {@code ClusterManager.nodeListener} holds a single listener that Vert.x itself needs, so it is
 * never replaced. vertx-hazelcast stores each member's Vert.x node id as a member attribute.
 */
public final class ClusterMembership {
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  private final HazelcastInstance hazelcast;
  private final ClusterManager clusterManager;
  private final CopyOnWriteArrayList<Consumer<String>> removedListeners = new CopyOnWriteArrayList<>();
  private final UUID registration;
  private volatile Set<String> members = Set.of();

  private ClusterMembership(ClusterManager clusterManager, HazelcastInstance hazelcast) {
    this.clusterManager = clusterManager;
    this.hazelcast = hazelcast;
    this.registration = hazelcast == null ? null : hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        refresh();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        refresh();
        String nodeId = nodeId(event.getMember());
        removedListeners.forEach(listener -> listener.accept(nodeId));
      }
    });
    refresh();
  }

  /** The membership of {@code vertx}'s cluster, or an empty one when Vert.x runs unclustered. */
  public static ClusterMembership of(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    HazelcastInstance hazelcast = manager instanceof HazelcastClusterManager hz ? hz.getHazelcastInstance() : null;
    return new ClusterMembership(manager, hazelcast);
  }

  /** Hazelcast of this JVM, or {@code null} when unclustered (for {@link GridWatchdog}). */
  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public boolean clustered() {
    return clusterManager != null;
  }

  public Optional<String> localNodeId() {
    return clusterManager == null ? Optional.empty() : Optional.ofNullable(clusterManager.getNodeId());
  }

  /** Whether this node is an active member (false while cut off or after leaving). */
  public boolean active() {
    return clusterManager == null || clusterManager.isActive();
  }

  /** Node ids of the current members (as of the last membership event or {@link #refresh()}), or empty when unclustered. */
  public Set<String> members() {
    return members;
  }

  /** Re-reads the member list from Hazelcast's local view (no remote call). */
  public void refresh() {
    if (hazelcast != null && hazelcast.getLifecycleService().isRunning()) {
      members = hazelcast.getCluster().getMembers().stream()
        .map(ClusterMembership::nodeId).collect(Collectors.toUnmodifiableSet());
    }
  }

  private static String nodeId(Member member) {
    String nodeId = member.getAttribute(NODE_ID_ATTRIBUTE);
    return nodeId != null ? nodeId : member.getUuid().toString();
  }

  /** Is {@code nodeId} a current member? Always true when membership is unknown (unclustered). */
  public boolean isMember(String nodeId) {
    return hazelcast == null || nodeId == null || members.contains(nodeId);
  }

  public void onMemberRemoved(Consumer<String> listener) {
    removedListeners.add(listener);
  }

  public void close() {
    removedListeners.clear();
    if (hazelcast != null && registration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(registration);
    }
  }
}
