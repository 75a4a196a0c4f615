package dev.bazaar.platform.discovery;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Recognises a member whose data grid is wedged and lets it heal.
 * <p>
 * After a member was dropped and merged back (it then has a new member UUID), a JVM can keep a
 * partition table that names the member's old UUID as the owner of some partitions. Every
 * operation on such a partition fails with {@code TargetNotMemberException} ("Not Member!"), in
 * this JVM's discovery re-sync, event-bus subscription lookups and record writes, for as long as
 * the table stays wrong: on a starved machine that was minutes. The master normally repairs the
 * table within seconds (and pushes it to the others every few seconds), so a disagreement between
 * the partition table and the member list that lasts is the wedge.
 * <p>
 * Every {@value #PROBE_EVERY_MS} ms this counts, from Hazelcast's local view (no remote call), the
 * partitions whose owner is not a current member. Readiness reports them after
 * {@value #REPORT_AFTER_MS} ms; when they last {@code wedge} on the master (which repairs the table
 * for everybody) or twice that on any other member (the master gets its chance first), liveness
 * fails and {@code heal} runs once: the caller leaves the cluster for good and a new JVM joins
 * cleanly (restarts are safe: Kafka offsets and the outbox).
 */
public final class GridWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(GridWatchdog.class);
  static final long PROBE_EVERY_MS = 2000;
  /**
   * Above the master's ordinary repair after a member left: 4-6 s measured under load (system
   * tests beside a second cluster), which at 5 s took readiness down for a second in
   * ClusterFaultsIT. A real wedge lasts far longer, and liveness (after {@code wedge}) stays the cure.
   */
  static final long REPORT_AFTER_MS = 10_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final long wedgeMs;
  private final Consumer<String> heal;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final AtomicBoolean healing = new AtomicBoolean();
  private final long timer;
  private volatile Observation last = new Observation(0, false, -1);

  /** What the last probe saw: partitions owned by non-members, whether this member is master, since when it straying. */
  record Observation(int stray, boolean master, long straySince) {
    /** The next observation at {@code now}. */
    Observation next(int strayNow, boolean masterNow, long now) {
      return new Observation(strayNow, masterNow, strayNow == 0 ? -1 : straySince >= 0 ? straySince : now);
    }

    long strayForMs(long now) {
      return straySince < 0 ? 0 : now - straySince;
    }

    /** The master repairs the table, so it heals first; any other member waits twice as long. */
    boolean wedged(long now, long wedgeMs) {
      return straySince >= 0 && strayForMs(now) >= (master ? wedgeMs : 2 * wedgeMs);
    }
  }

  private GridWatchdog(Vertx vertx, HazelcastInstance hazelcast, Duration wedge, Consumer<String> heal) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.wedgeMs = wedge.toMillis();
    this.heal = heal;
    this.timer = vertx.setPeriodic(PROBE_EVERY_MS, id -> probe());
  }

  /** Watches the grid of {@code membership}; {@code null} when Vert.x runs unclustered or not on Hazelcast. */
  public static GridWatchdog start(Vertx vertx, ClusterMembership membership, Duration wedge, Consumer<String> heal) {
    HazelcastInstance hazelcast = membership.hazelcast();
    return hazelcast == null ? null : new GridWatchdog(vertx, hazelcast, wedge, heal);
  }

  /** Readiness: fails while partitions have been owned by non-members for {@value #REPORT_AFTER_MS} ms. */
  public Future<?> readiness() {
    long now = System.currentTimeMillis();
    Observation seen = last;
    return seen.strayForMs(now) >= REPORT_AFTER_MS ? Future.failedFuture(describe(seen, now)) : Future.succeededFuture();
  }

  /** Liveness: fails once the grid counts as wedged (an orchestrator restarts the JVM). */
  public Future<?> liveness() {
    long now = System.currentTimeMillis();
    Observation seen = last;
    return seen.wedged(now, wedgeMs) ? Future.failedFuture("wedged: " + describe(seen, now)) : Future.succeededFuture();
  }

  public void close() {
    vertx.cancelTimer(timer);
  }

  private String describe(Observation seen, long now) {
    return seen.stray() + " partition(s) owned by members that are gone (stale partition table, grid operations fail"
      + " with TargetNotMemberException) for " + seen.strayForMs(now) / 1000 + " s; this "
      + (seen.master() ? "master" : "member") + " restarts after " + (seen.master() ? wedgeMs : 2 * wedgeMs) / 1000 + " s";
  }

  private void probe() {
    if (!hazelcast.getLifecycleService().isRunning() || !probing.compareAndSet(false, true)) {
      return;
    }
    // a partition without any owner makes Hazelcast ask the master to assign it: never on an event loop
    vertx.executeBlocking(this::strayPartitions, false)
      .onComplete(ar -> probing.set(false))
      .onSuccess(stray -> observe(stray, isMaster()))
      .onFailure(e -> LOG.debug("partition table not read: {}", e.toString()));
  }

  private void observe(int stray, boolean master) {
    long now = System.currentTimeMillis();
    Observation previous = last;
    Observation seen = previous.next(stray, master, now);
    last = seen;
    if (previous.stray() == 0 && stray > 0) {
      LOG.info("{} partition(s) owned by members that are not in the member list; waiting for the master to repair the table", stray);
    } else if (previous.stray() > 0 && stray == 0) {
      LOG.info("partition table agrees with the member list again after {} ms", now - previous.straySince());
    }
    if (seen.wedged(now, wedgeMs) && healing.compareAndSet(false, true)) {
      String reason = "grid wedged: " + describe(seen, now);
      LOG.error(reason);
      heal.accept(reason);
    }
  }

  private int strayPartitions() {
    int stray = 0;
    for (Partition partition : hazelcast.getPartitionService().getPartitions()) {
      // getOwner() looks the owner up by address and member UUID: null when that member is gone
      if (partition.getOwner() == null) {
        stray++;
      }
    }
    return stray;
  }

  private boolean isMaster() {
    // the member list is ordered by age: the oldest member is the master
    Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
    return members.hasNext() && members.next().localMember();
  }
}
