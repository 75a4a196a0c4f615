package dev.bazaar.system;

import dev.bazaar.system.chaos.Levers;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The chaos levers of a {@link BazaarCluster}: signals to the JVMs it started, restarts from the same jars. */
final class ClusterLevers implements Levers {
  private final BazaarCluster cluster;
  private final Map<String, ServiceProcess> running;

  ClusterLevers(BazaarCluster cluster, Map<String, ServiceProcess> running) {
    this.cluster = cluster;
    this.running = new ConcurrentHashMap<>(running);
  }

  @Override
  public long killHard(String name) {
    ServiceProcess process = take(name);
    process.killHard();
    return process.pid();
  }

  @Override
  public long stop(String name) {
    ServiceProcess process = take(name);
    process.stop();
    return process.pid();
  }

  @Override
  public void restart(String name) throws IOException {
    running.put(name, cluster.start(name));
  }

  @Override
  public long freeze(String name) {
    ServiceProcess process = running.get(name);
    process.freeze();
    return process.pid();
  }

  @Override
  public void thaw(long pid) {
    running.values().stream().filter(p -> p.pid() == pid).forEach(ServiceProcess::thaw);
  }

  @Override
  public String providerUrl() {
    return "http://127.0.0.1:" + cluster.providerPort;
  }

  private ServiceProcess take(String name) {
    ServiceProcess process = running.remove(name);
    if (process == null) {
      throw new IllegalStateException("no running " + name);
    }
    return process;
  }
}
