package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/kubernetes: the local overlay renders ({@code kubectl kustomize}), every document of the
 * render is valid against the Kubernetes API schemas (offline, deploy/kubernetes/validate), and
 * the render configures only what the code reads: each environment variable is a placeholder of
 * the service's conf/*.json or a {@code BAZAAR_*} name its sources (or the platform's) read, each
 * container port is the one the service is told to listen on (or Hazelcast's), and every name a
 * manifest refers to (ports, ConfigMaps, Secrets and their keys, Services, Deployments) exists.
 */
class KubernetesManifestsTest {
  private static final Path ROOT = Path.of(System.getProperty("bazaar.root", "..")).toAbsolutePath().normalize();
  private static final Path VALIDATE = ROOT.resolve("deploy/kubernetes/validate");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}");
  private static final Pattern ENV_LITERAL = Pattern.compile("\"(BAZAAR_[A-Z0-9_]+)\"");
  private static final Pattern SERVER_SECTION = Pattern.compile("HttpSettings\\.from\\(\\w+\\.section\\(\"(\\w+)\"\\)\\)");
  private static final Pattern SERVER_VARIABLE = Pattern.compile("HttpSettings\\.from\\((\\w+)\\)");
  /** Read by the JVM itself, not by our code: the only variable outside the code's own set. */
  private static final String JVM_OPTIONS = "JAVA_TOOL_OPTIONS";

  private static JsonArray docs;

  @BeforeAll
  static void render() throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed: deploy/kubernetes is not rendered nor validated");
    assumeTrue(onPath("node") && onPath("npm"), "node/npm are not installed: the render cannot be validated");
    if (!Files.isDirectory(VALIDATE.resolve("node_modules"))) {
      Result install = run(VALIDATE, null, 300, "npm", "ci", "--no-audit", "--no-fund");
      assertThat(install.code).as("npm ci in %s:%n%s", VALIDATE, install.err).isZero();
    }
    Result render = run(ROOT, null, 120, "kubectl", "kustomize", "deploy/kubernetes/overlays/local");
    assertThat(render.code).as("kubectl kustomize deploy/kubernetes/overlays/local:%n%s", render.err).isZero();
    Result validation = run(VALIDATE, render.out, 120, "node", "validate.mjs");
    assertThat(validation.err).as("schema validation of the render").isEmpty();
    assertThat(validation.code).isZero();
    docs = new JsonArray(validation.out);
  }

  @Test
  void everyServiceRunsAsADeploymentWithItsConfMounted() throws IOException {
    Set<String> confFiles;
    try (Stream<Path> files = Files.list(ROOT.resolve("conf"))) {
      confFiles = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")).collect(Collectors.toSet());
    }
    assertThat(confFiles).hasSizeGreaterThanOrEqualTo(8);
    assertThat(names("Deployment")).containsExactlyInAnyOrderElementsOf(
      confFiles.stream().map(f -> f.substring(0, f.length() - ".json".length())).toList());
    JsonObject conf = byPrefix("ConfigMap", "bazaar-conf-");
    assertThat(conf.getJsonObject("data").fieldNames()).containsExactlyInAnyOrderElementsOf(confFiles);
  }

  @Test
  void everyEnvironmentVariableIsOneTheServiceReads() throws IOException {
    Set<String> shared = readBy(ROOT.resolve("verticles/platform"));
    Set<String> anyService = new TreeSet<>(shared);
    for (JsonObject deployment : all("Deployment")) {
      anyService.addAll(readBy(ROOT.resolve("verticles").resolve(name(deployment))));
    }
    List<String> unknown = new ArrayList<>();
    for (JsonObject deployment : all("Deployment")) {
      String service = name(deployment);
      Set<String> known = new TreeSet<>(shared);
      known.addAll(readBy(ROOT.resolve("verticles").resolve(service)));
      known.add(JVM_OPTIONS);
      for (JsonObject container : containers(deployment)) {
        for (JsonObject env : objects(container.getJsonArray("env"))) {
          if (!known.contains(env.getString("name"))) {
            unknown.add(service + ": " + env.getString("name"));
          }
        }
        // a ConfigMap loaded whole (the infrastructure's addresses) is shared by all services
        for (JsonObject from : objects(container.getJsonArray("envFrom"))) {
          JsonObject ref = from.getJsonObject("configMapRef");
          assertThat(ref).as("%s: envFrom only from ConfigMaps", service).isNotNull();
          for (String key : byName("ConfigMap", ref.getString("name")).getJsonObject("data").fieldNames()) {
            if (!anyService.contains(key)) {
              unknown.add(service + ": " + key + " (from ConfigMap " + ref.getString("name") + ")");
            }
          }
        }
      }
    }
    assertThat(unknown).as("environment variables that no code reads").isEmpty();
  }

  @Test
  void containerPortsAreTheOnesTheServicesListenOn() throws IOException {
    int hazelcast = hazelcastPort();
    for (JsonObject deployment : all("Deployment")) {
      String service = name(deployment);
      JsonObject container = containers(deployment).get(0);
      Map<String, String> env = new TreeMap<>();
      objects(container.getJsonArray("env")).stream().filter(e -> e.containsKey("value"))
        .forEach(e -> env.put(e.getString("name"), e.getString("value")));
      Set<Integer> expected = listenPorts(service, env);
      if ("true".equals(labels(deployment).getString("bazaar.dev/clustered"))) {
        expected.add(hazelcast);
      }
      Set<Integer> declared = objects(container.getJsonArray("ports")).stream()
        .map(p -> p.getInteger("containerPort")).collect(Collectors.toSet());
      assertThat(declared).as("%s: container ports", service).isEqualTo(expected);
      Set<String> portNames = objects(container.getJsonArray("ports")).stream()
        .map(p -> p.getString("name")).collect(Collectors.toSet());
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        JsonObject get = container.getJsonObject(probe, new JsonObject()).getJsonObject("httpGet");
        if (get != null) {
          assertThat(portNames).as("%s: %s port", service, probe).contains(get.getString("port"));
          assertThat(healthPaths()).as("%s: %s path", service, probe).contains(get.getString("path"));
        }
      }
      assertThat(container.getJsonObject("livenessProbe")).as("%s: liveness probe", service).isNotNull();
      assertThat(container.getJsonObject("readinessProbe")).as("%s: readiness probe", service).isNotNull();
    }
  }

  @Test
  void everyReferenceResolves() {
    for (JsonObject deployment : all("Deployment")) {
      JsonObject pod = deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("spec");
      for (JsonObject volume : objects(pod.getJsonArray("volumes"))) {
        if (volume.containsKey("configMap")) {
          byName("ConfigMap", volume.getJsonObject("configMap").getString("name"));
        }
      }
      for (JsonObject container : containers(deployment)) {
        for (JsonObject env : objects(container.getJsonArray("env"))) {
          JsonObject ref = env.getJsonObject("valueFrom", new JsonObject()).getJsonObject("secretKeyRef");
          if (ref != null) {
            assertThat(byName("Secret", ref.getString("name")).getJsonObject("data").fieldNames())
              .as("%s: secret %s", name(deployment), ref.getString("name")).contains(ref.getString("key"));
          }
        }
      }
      if (pod.containsKey("serviceAccountName")) {
        byName("ServiceAccount", pod.getString("serviceAccountName"));
      }
    }
    for (JsonObject service : all("Service")) {
      JsonObject selector = service.getJsonObject("spec").getJsonObject("selector");
      List<JsonObject> pods = all("Deployment").stream().filter(d -> matches(selector, templateLabels(d))).toList();
      assertThat(pods).as("pods of Service %s", name(service)).isNotEmpty();
      Set<Object> targets = pods.stream().flatMap(d -> objects(containers(d).get(0).getJsonArray("ports")).stream())
        .flatMap(p -> Stream.of(p.getValue("name"), p.getValue("containerPort"))).collect(Collectors.toSet());
      for (JsonObject port : objects(service.getJsonObject("spec").getJsonArray("ports"))) {
        assertThat(targets).as("Service %s targetPort", name(service)).contains(port.getValue("targetPort"));
      }
    }
    for (JsonObject budget : all("PodDisruptionBudget")) {
      JsonObject selector = budget.getJsonObject("spec").getJsonObject("selector").getJsonObject("matchLabels");
      assertThat(all("Deployment")).as("pods of PodDisruptionBudget %s", name(budget))
        .anyMatch(d -> matches(selector, templateLabels(d)));
    }
    for (JsonObject hpa : all("HorizontalPodAutoscaler")) {
      byName("Deployment", hpa.getJsonObject("spec").getJsonObject("scaleTargetRef").getString("name"));
    }
    assertThat(names("HorizontalPodAutoscaler")).contains("gateway", "order-service");
    for (JsonObject ingress : all("Ingress")) {
      for (JsonObject rule : objects(ingress.getJsonObject("spec").getJsonArray("rules"))) {
        for (JsonObject path : objects(rule.getJsonObject("http").getJsonArray("paths"))) {
          JsonObject backend = path.getJsonObject("backend").getJsonObject("service");
          JsonObject service = byName("Service", backend.getString("name"));
          assertThat(objects(service.getJsonObject("spec").getJsonArray("ports")).stream().map(p -> p.getString("name")))
            .contains(backend.getJsonObject("port").getString("name"));
        }
      }
    }
    JsonObject cluster = byName("Service", "bazaar-cluster");
    assertThat(cluster.getJsonObject("spec").getString("clusterIP")).as("Hazelcast's service is headless").isEqualTo("None");
  }

  // ------------------------------------------------------------------ what the code reads

  /**
   * Environment variables that module reads: placeholders of its conf/*.json and of its logback
   * configuration, and {@code "BAZAAR_..."} literals of its main sources.
   */
  private static Set<String> readBy(Path module) throws IOException {
    Set<String> names = new TreeSet<>();
    Path conf = ROOT.resolve("conf").resolve(module.getFileName() + ".json");
    if (Files.exists(conf)) {
      collect(PLACEHOLDER, Files.readString(conf), names);
    }
    Path main = module.resolve("src/main");
    if (Files.isDirectory(main)) {
      try (Stream<Path> files = Files.walk(main)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          if (file.toString().endsWith(".java")) {
            collect(ENV_LITERAL, text, names);
          } else if (file.toString().endsWith(".xml")) {
            collect(Pattern.compile("\\$\\{(BAZAAR_[A-Z0-9_]+)"), text, names);
          }
        }
      }
    }
    return names;
  }

  /**
   * The ports SERVICE listens on: the {@code port} of each section of conf/SERVICE.json that the
   * code reads as a server ({@code HttpSettings.from(config.section("..."))}), with the placeholders
   * resolved against {@code env}.
   */
  private static Set<Integer> listenPorts(String service, Map<String, String> env) throws IOException {
    JsonObject conf = new JsonObject(Files.readString(ROOT.resolve("conf").resolve(service + ".json")));
    Set<String> serverSections = new TreeSet<>();
    for (Path module : List.of(ROOT.resolve("verticles/platform"), ROOT.resolve("verticles").resolve(service))) {
      try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String text = Files.readString(file);
          collect(SERVER_SECTION, text, serverSections);
          Set<String> variables = new TreeSet<>();
          collect(SERVER_VARIABLE, text, variables);
          for (String variable : variables) {
            collect(Pattern.compile("\\b" + variable + " = \\w+\\.section\\(\"(\\w+)\"\\)"), text, serverSections);
          }
        }
      }
    }
    assertThat(serverSections).as("%s: server sections read by its code", service).isNotEmpty();
    Set<Integer> ports = new HashSet<>();
    for (String section : serverSections) {
      if (conf.getValue(section) instanceof JsonObject object && object.containsKey("port")) {
        Matcher m = PLACEHOLDER.matcher(String.valueOf(object.getValue("port")));
        String value = m.matches() ? env.getOrDefault(m.group(1), m.group(2)) : String.valueOf(object.getValue("port"));
        ports.add(Integer.parseInt(value));
      }
    }
    assertThat(ports).as("%s: no ephemeral port in a pod (a Service could not name it)", service).doesNotContain(0);
    return ports;
  }

  private static int hazelcastPort() throws IOException {
    Matcher m = Pattern.compile("<port[^>]*>(\\d+)</port>").matcher(Files.readString(ROOT.resolve("cluster-config/cluster-kubernetes.xml")));
    assertThat(m.find()).as("a port in cluster-kubernetes.xml").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static Set<String> healthPaths() {
    try {
      Set<String> paths = new TreeSet<>();
      collect(Pattern.compile("\"(/health/[a-z]+)\""),
        Files.readString(ROOT.resolve("verticles/platform/src/main/java/dev/bazaar/platform/health/Health.java")), paths);
      return paths;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(Pattern pattern, String text, Set<String> into) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      into.add(m.group(1));
    }
  }

  // ------------------------------------------------------------------ the render

  private static List<JsonObject> all(String kind) {
    return objects(docs).stream().filter(d -> kind.equals(d.getString("kind"))).toList();
  }

  private static Set<String> names(String kind) {
    return all(kind).stream().map(KubernetesManifestsTest::name).collect(Collectors.toSet());
  }

  private static JsonObject byName(String kind, String name) {
    return all(kind).stream().filter(d -> name.equals(name(d))).findFirst()
      .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the render"));
  }

  private static JsonObject byPrefix(String kind, String prefix) {
    return all(kind).stream().filter(d -> name(d).startsWith(prefix)).findFirst()
      .orElseThrow(() -> new AssertionError("no " + kind + " " + prefix + "* in the render"));
  }

  private static String name(JsonObject doc) {
    return doc.getJsonObject("metadata").getString("name");
  }

  private static JsonObject labels(JsonObject doc) {
    return doc.getJsonObject("metadata").getJsonObject("labels", new JsonObject());
  }

  private static JsonObject templateLabels(JsonObject deployment) {
    return labels(deployment.getJsonObject("spec").getJsonObject("template"));
  }

  private static boolean matches(JsonObject selector, JsonObject labels) {
    return selector.fieldNames().stream().allMatch(k -> selector.getValue(k).equals(labels.getValue(k)));
  }

  private static List<JsonObject> containers(JsonObject deployment) {
    return objects(deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("spec").getJsonArray("containers"));
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().map(JsonObject.class::cast).toList();
  }

  // ------------------------------------------------------------------ processes

  private record Result(int code, String out, String err) {
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
      .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
  }

  private static Result run(Path dir, String input, int timeoutSeconds, String... command) throws Exception {
    Path out = Files.createTempFile("bazaar-k8s", ".out");
    Path err = Files.createTempFile("bazaar-k8s", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
