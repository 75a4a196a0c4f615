package dev.bazaar.platform.boot;

import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.function.Function;

/**
 * A Bazaar service: its {@link #declare} says what is its own (stores, routes, event-bus handlers,
 * outbox topics, consumers, background tasks) and the {@link ServiceRuntime} does the rest: reads
 * {@code conf/<name>.json} (or the deployment's inline config), opens discovery, the database and
 * the clients, starts what was declared, serves, publishes; and on stop, or on a start that failed
 * half-way, closes it all in reverse order.
 *
 * @param <C> the service's typed configuration
 */
public abstract class ServiceVerticle<C extends ServiceConfig> extends VerticleBase {
  private final String name;
  private final Function<ConfigReader, C> configuration;
  private ServiceRuntime runtime;

  protected ServiceVerticle(String name, Function<ConfigReader, C> configuration) {
    this.name = name;
    this.configuration = configuration;
  }

  /**
   * What is this service's own, declared on {@code runtime}; may do asynchronous work of its own
   * first (load keys, seed data). Nothing listens yet.
   */
  protected abstract Future<?> declare(ServiceRuntime runtime, C config);

  @Override
  public final Future<?> start() {
    return ConfigLoader.load(vertx, name, config())
      .map(configuration)
      .compose(config -> ServiceRuntime.open(vertx, config.service())
        .compose(opened -> {
          runtime = opened;
          return declare(runtime, config);
        }))
      .compose(v -> runtime.startDeclared())
      .recover(err -> runtime == null ? Future.failedFuture(err) : runtime.stop().transform(ar -> Future.failedFuture(err)));
  }

  @Override
  public final Future<?> stop() {
    return runtime == null ? Future.succeededFuture() : runtime.stop();
  }

  /** The runtime of this service, once started (tests, and the service's own stop work). */
  public ServiceRuntime runtime() {
    return runtime;
  }
}
