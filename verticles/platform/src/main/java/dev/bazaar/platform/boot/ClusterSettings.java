package dev.bazaar.platform.boot;

import com.hazelcast.config.Config;
import dev.bazaar.platform.config.ConfigException;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Where and how this JVM joins the Hazelcast cluster, from {@code BAZAAR_CLUSTER_*} variables. */
public record ClusterSettings(Path configFile, String name, int port, int portCount, String members, String interfaceAddress,
                              String kubernetesNamespace, String kubernetesService) {

  public static ClusterSettings fromEnvironment(Map<String, String> env) {
    int port = number(env, "BAZAAR_CLUSTER_PORT", 5701);
    int portCount = number(env, "BAZAAR_CLUSTER_PORT_COUNT", 10);
    String iface = env.getOrDefault("BAZAAR_CLUSTER_INTERFACE", "127.0.0.1");
    return new ClusterSettings(
      Path.of(env.getOrDefault("BAZAAR_CLUSTER_CONFIG", "cluster-config/cluster.xml")),
      env.getOrDefault("BAZAAR_CLUSTER_NAME", "bazaar"),
      port,
      portCount,
      env.getOrDefault("BAZAAR_CLUSTER_MEMBERS", iface),
      iface,
      env.getOrDefault("BAZAAR_K8S_NAMESPACE", "default"),
      env.getOrDefault("BAZAAR_K8S_SERVICE", "bazaar-cluster"));
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    try {
      int value = Integer.parseInt(env.getOrDefault(name, Integer.toString(fallback)));
      if (value < 1 || value > 65535) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number from 1 to 65535");
    }
  }

  public HazelcastClusterManager clusterManager() {
    if (!Files.isRegularFile(configFile)) {
      throw new ConfigException("cluster config " + configFile.toAbsolutePath()
        + " not found (run from the repository root or set BAZAAR_CLUSTER_CONFIG)");
    }
    Properties properties = new Properties();
    properties.setProperty("bazaar.cluster.name", name);
    properties.setProperty("bazaar.cluster.port", Integer.toString(port));
    properties.setProperty("bazaar.cluster.port.count", Integer.toString(portCount));
    properties.setProperty("bazaar.cluster.members", members);
    properties.setProperty("bazaar.cluster.interface", interfaceAddress);
    properties.setProperty("bazaar.cluster.k8s.namespace", kubernetesNamespace);
    properties.setProperty("bazaar.cluster.k8s.service", kubernetesService);
    try {
      return new HazelcastClusterManager(Config.loadFromFile(configFile.toFile(), properties));
    } catch (IOException e) {
      throw new ConfigException("cannot read cluster config " + configFile + ": " + e.getMessage());
    }
  }
}
