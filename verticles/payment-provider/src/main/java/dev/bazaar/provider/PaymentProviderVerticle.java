package dev.bazaar.provider;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.health.Health;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.metrics.Metrics;
import dev.bazaar.provider.api.AdminApi;
import dev.bazaar.provider.api.ChargesApi;
import dev.bazaar.provider.api.FaultInjector;
import dev.bazaar.provider.api.ProviderMetrics;
import dev.bazaar.provider.domain.ChargeBook;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * payment-provider: a stand-in for the third-party card processor (think Stripe). Not ours: it
 * is not clustered, not in service discovery, and is reached by URL from its callers' config.
 * Its charges live in memory (a simulator); faults are injectable for resilience demos.
 */
public class PaymentProviderVerticle extends VerticleBase {
  public static final String NAME = "payment-provider";
  private static final Logger LOG = LoggerFactory.getLogger(PaymentProviderVerticle.class);

  private HttpServer server;

  @Override
  public Future<?> start() {
    if (vertx.isClustered()) {
      return Future.failedFuture(new ConfigException(NAME + " is a third party, never a cluster member: start it without -cluster"));
    }
    if (context.getInstanceCount() != 1) {
      return Future.failedFuture(new ConfigException(NAME + " keeps its charges in memory: deploy exactly one instance, not "
        + context.getInstanceCount()));
    }
    return ConfigLoader.load(vertx, NAME, config())
      .map(PaymentProviderConfig::from)
      .compose(config -> {
        ChargeBook book = new ChargeBook(config.maxCharges(), PaymentProviderVerticle::randomId, Clock.systemUTC());
        ProviderMetrics metrics = ProviderMetrics.create(book);
        FaultInjector faults = new FaultInjector(vertx, config.faults(), metrics);
        Router router = HttpServers.router(vertx, config.http());
        new Health().mount(router);
        Metrics.mount(router);
        new AdminApi(faults).mount(router);
        faults.mount(router);
        new ChargesApi(book, faults, metrics).mount(router);
        return HttpServers.listen(vertx, router, config.http())
          .onSuccess(listening -> {
            server = listening;
            LOG.info("BAZAAR-READY {} http://{}:{} (not clustered; keeps at most {} charges; faults {})",
              NAME, config.http().host(), listening.actualPort(), config.maxCharges(), config.faults());
          });
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port it listens on (tests start it on port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** 32 hex digits: {@code ch_…}/{@code re_…} ids need to be unique, not secret (the simulator has no secrets). */
  private static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex16(random.nextLong()) + hex16(random.nextLong());
  }

  private static String hex16(long value) {
    String hex = Long.toHexString(value);
    return "0".repeat(16 - hex.length()) + hex;
  }
}
