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
public record ClusterSettings(Path configFile, String name, int port, String members, String interfaceAddress,
                              String kubernetesNamespace, String kubernetesService) {

  public static ClusterSettings fromEnvironment(Map<String, String> env) {
    int port;
    try {
      port = Integer.parseInt(env.getOrDefault("BAZAAR_CLUSTER_PORT", "5701"));
    } catch (NumberFormatException e) {
      throw new ConfigException("BAZAAR_CLUSTER_PORT must be a port number");
    }
    String iface = env.getOrDefault("BAZAAR_CLUSTER_INTERFACE", "127.0.0.1");
    return new ClusterSettings(
      Path.of(env.getOrDefault("BAZAAR_CLUSTER_CONFIG", "cluster-config/cluster.xml")),
      env.getOrDefault("BAZAAR_CLUSTER_NAME", "bazaar"),
      port,
      env.getOrDefault("BAZAAR_CLUSTER_MEMBERS", iface + ":" + port + "-" + (port + 39)),
      iface,
      env.getOrDefault("BAZAAR_K8S_NAMESPACE", "default"),
      env.getOrDefault("BAZAAR_K8S_SERVICE", "bazaar-cluster"));
  }

  public HazelcastClusterManager clusterManager() {
    if (!Files.isRegularFile(configFile)) {
      throw new ConfigException("cluster config " + configFile.toAbsolutePath()
        + " not found (run from the repository root or set BAZAAR_CLUSTER_CONFIG)");
    }
    Properties properties = new Properties();
    properties.setProperty("bazaar.cluster.name", name);
    properties.setProperty("bazaar.cluster.port", Integer.toString(port));
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
