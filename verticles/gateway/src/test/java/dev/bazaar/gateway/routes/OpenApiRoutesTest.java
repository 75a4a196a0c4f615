package dev.bazaar.gateway.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bazaar.gateway.Repository;
import dev.bazaar.gateway.admin.ServicesView;
import dev.bazaar.gateway.aggregate.UserOrdersAggregator;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.health.Health;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml and what the gateway serves agree both ways. What is served comes from three
 * places: the routing table of conf/gateway.json (parsed by {@link RouteTable}, as the gateway does),
 * the routes the gateway answers itself (mounted here on a real {@link Router} by the same classes
 * the gateway uses), and, behind each table entry, the {@code /api/**} routes its service declares
 * in its sources ({@code router.get("/api/...")} or {@code BusRouter.route(HttpMethod.GET, "/api/...")}).
 * {@code /eventbus} and {@code /console/} are not REST: the spec names them in its description only.
 */
@ExtendWith(VertxExtension.class)
class OpenApiRoutesTest {
  private static final Path ROOT = Repository.root();
  private static final Set<String> NON_REST = Set.of("/eventbus", "/console/");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final Pattern ROUTER_CALL = Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/api/[^\"]*)\"\\)");
  private static final Pattern BUS_ROUTE = Pattern.compile("\\.route\\(HttpMethod\\.([A-Z]+),\\s*\"(/api/[^\"]*)\"");

  private static JsonNode spec;
  private static RouteTable table;

  @BeforeAll
  static void read() throws IOException {
    spec = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docs/openapi.yaml").toFile());
    JsonObject gatewayConf = new JsonObject(Files.readString(ROOT.resolve("conf/gateway.json")));
    table = RouteTable.from(ConfigReader.of(gatewayConf, Map.of()).sections("routes"));
  }

  @Test
  void everySpecOperationIsServedAndEveryServedRouteIsInTheSpec(Vertx vertx) {
    Map<String, Boolean> specified = specOperations();
    Set<String> gatewayOwn = gatewayOwnRoutes(vertx);
    Set<String> behindTable = serviceRoutesBehindTheTable();

    Set<String> served = new TreeSet<>(gatewayOwn);
    served.addAll(behindTable);
    assertThat(specified.keySet()).as("operations in docs/openapi.yaml vs routes the gateway serves").isEqualTo(served);
  }

  @Test
  void publicOperationsAreExactlyThoseTheGatewayLetsThroughWithoutAToken(Vertx vertx) {
    Map<String, Boolean> specified = specOperations();
    Set<String> gatewayOwn = gatewayOwnRoutes(vertx);
    specified.forEach((operation, isPublic) -> {
      String method = operation.substring(0, operation.indexOf(' '));
      String path = operation.substring(operation.indexOf(' ') + 1);
      boolean expected;
      if (path.startsWith("/health/")) {
        expected = true; // probes: no token, no rate limit
      } else if (gatewayOwn.contains(operation)) {
        expected = false; // ServicesView and UserOrdersAggregator admit only a verified token
      } else {
        Route route = table.match(concrete(path)).orElseThrow(() -> new AssertionError(operation + " matches no route"));
        expected = route.isPublic(HttpMethod.valueOf(method));
      }
      assertThat(isPublic).as("%s is public in the spec", operation).isEqualTo(expected);
    });
  }

  @Test
  void everyRouteOfTheTableHasOperationsAndEveryPublicMethodIsSpecifiedAsPublic() {
    Map<String, Boolean> specified = specOperations();
    for (Route route : table.routes()) {
      List<String> under = specified.keySet().stream()
        .filter(op -> table.match(concrete(op.substring(op.indexOf(' ') + 1))).filter(route::equals).isPresent())
        .toList();
      assertThat(under).as("operations under %s", route.prefix()).isNotEmpty();
      for (HttpMethod method : route.publicMethods()) {
        assertThat(under).as("public %s operations under %s", method, route.prefix())
          .anyMatch(op -> op.startsWith(method.name() + " ") && specified.get(op));
      }
    }
  }

  @Test
  void theNonRestSurfacesAreDescribedButNotSpecifiedAsOperations() {
    String description = spec.path("info").path("description").asText();
    for (String surface : NON_REST) {
      assertThat(spec.path("paths").has(surface)).as("%s is not a REST path", surface).isFalse();
      assertThat(description).as("info.description names %s", surface).contains("`" + surface + "`");
    }
    spec.path("paths").fieldNames().forEachRemaining(path ->
      assertThat(path).as("the public port serves only /api/** and /health/*").matches("/(api/v1|health)/.+"));
  }

  /** "METHOD /path/{param}" → is it public (no security requirement, or an empty alternative)? */
  private static Map<String, Boolean> specOperations() {
    boolean publicByDefault = isPublic(spec.path("security"));
    Map<String, Boolean> operations = new TreeMap<>();
    spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
      if (METHODS.contains(operation.getKey())) {
        JsonNode security = operation.getValue().get("security");
        operations.put(operation.getKey().toUpperCase() + " " + path.getKey(),
          security == null ? publicByDefault : isPublic(security));
      }
    }));
    assertThat(operations).as("operations in docs/openapi.yaml").isNotEmpty();
    return operations;
  }

  private static boolean isPublic(JsonNode security) {
    if (security.isMissingNode() || security.isEmpty()) {
      return security.isArray();
    }
    for (Iterator<JsonNode> it = security.elements(); it.hasNext(); ) {
      if (it.next().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** What the gateway answers itself, mounted by the classes GatewayHttpVerticle mounts. */
  private static Set<String> gatewayOwnRoutes(Vertx vertx) {
    Router router = Router.router(vertx);
    new Health().mount(router);
    new ServicesView(null, null, null).mount(router);
    new UserOrdersAggregator(null, 0).mount(router);
    Set<String> routes = new TreeSet<>();
    router.getRoutes().forEach(route -> route.methods().forEach(method -> routes.add(method.name() + " " + openApiPath(route.getPath()))));
    assertThat(routes).as("the gateway's own routes").contains("GET /health/live", "GET /health/ready");
    return routes;
  }

  /**
   * The {@code /api/**} routes each table entry's service declares, kept when the table sends
   * their path to that entry (the longest prefix wins). The service is the module
   * verticles/&lt;service&gt;; an event-bus route's module is its address's first part.
   */
  private static Set<String> serviceRoutesBehindTheTable() {
    Set<String> routes = new TreeSet<>();
    for (Route route : table.routes()) {
      String module = route.viaEventBus() ? route.address().substring(0, route.address().indexOf('.')) : route.service();
      Set<String> declared = declaredRoutes(ROOT.resolve("verticles").resolve(module).resolve("src/main/java"));
      declared.stream()
        .filter(op -> table.match(concrete(op.substring(op.indexOf(' ') + 1))).filter(route::equals).isPresent())
        .forEach(routes::add);
      assertThat(routes).as("routes found in %s for %s", module, route.prefix())
        .anyMatch(op -> route.matches(concrete(op.substring(op.indexOf(' ') + 1))));
    }
    return routes;
  }

  private static Set<String> declaredRoutes(Path sources) {
    Set<String> routes = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
        String source = Repository.read(file);
        for (Pattern pattern : List.of(ROUTER_CALL, BUS_ROUTE)) {
          Matcher m = pattern.matcher(source);
          while (m.find()) {
            routes.add(m.group(1).toUpperCase() + " " + openApiPath(m.group(2)));
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return routes;
  }

  /** Vert.x's {@code /a/:id} as OpenAPI's {@code /a/{id}}. */
  private static String openApiPath(String vertxPath) {
    return vertxPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  /** A request path for a templated one, for matching against the table. */
  private static String concrete(String openApiPath) {
    return openApiPath.replaceAll("\\{[^}]+}", "x");
  }
}
