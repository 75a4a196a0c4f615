package dev.bazaar.user.security;

import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;

/**
 * Login and registration throttling (DESIGN §3 "Edges"): per account (the email as given,
 * whether or not it exists) and per client address, with growing delays. A closed key answers 429
 * with Retry-After before any lookup or password check, with the same words and in the same time
 * whether the account exists or not. Failed logins and refusals are counted in
 * {@code bazaar_auth_login_failures_total} and {@code bazaar_auth_throttled_total}.
 */
public final class AuthThrottle {
  private final boolean enabled;
  private final Throttle loginAccount;
  private final Throttle loginAddress;
  private final Throttle registerAccount;
  private final Throttle registerAddress;
  private final Counter loginFailures;
  private final MeterRegistry registry;

  AuthThrottle(boolean enabled, Throttle loginAccount, Throttle loginAddress, Throttle registerAccount,
               Throttle registerAddress, MeterRegistry registry) {
    this.enabled = enabled;
    this.loginAccount = loginAccount;
    this.loginAddress = loginAddress;
    this.registerAccount = registerAccount;
    this.registerAddress = registerAddress;
    this.registry = registry;
    this.loginFailures = Counter.builder("bazaar.auth.login.failures")
      .description("Logins refused for a wrong email or password").register(registry);
  }

  /** From the {@code throttle} section of conf/user-service.json; every number has a default. */
  public static AuthThrottle from(ConfigReader config) {
    int maxKeys = config.integer("maxTrackedKeys", 100_000, 100, 10_000_000);
    Duration base = Duration.ofMillis(config.integer("baseDelayMs", 1000, 1, 60_000));
    Duration max = Duration.ofSeconds(config.integer("maxDelaySeconds", 900, 1, 86_400));
    return new AuthThrottle(config.bool("enabled", true),
      new Throttle(new Throttle.Policy(config.integer("loginFailuresPerAccount", 5, 1, 1000), base, max), maxKeys, System::nanoTime),
      new Throttle(new Throttle.Policy(config.integer("loginFailuresPerAddress", 20, 1, 100_000), base, max), maxKeys, System::nanoTime),
      new Throttle(new Throttle.Policy(config.integer("registrationsPerAccount", 3, 1, 1000), base, max), maxKeys, System::nanoTime),
      new Throttle(new Throttle.Policy(config.integer("registrationsPerAddress", 20, 1, 100_000), base, max), maxKeys, System::nanoTime),
      Metrics.registry());
  }

  /** Throws a 429 if this login may not be tried now. */
  public void admitLogin(String email, RoutingContext ctx) {
    admit("login", loginAccount, account(email), loginAddress, clientAddress(ctx));
  }

  public void loginFailed(String email, RoutingContext ctx) {
    loginFailures.increment();
    if (enabled) {
      loginAccount.count(account(email));
      loginAddress.count(clientAddress(ctx));
    }
  }

  public void loginSucceeded(String email) {
    loginAccount.forget(account(email));
  }

  /** Throws a 429 if this registration may not be tried now; otherwise counts it. */
  public void admitRegistration(String email, RoutingContext ctx) {
    admit("register", registerAccount, account(email), registerAddress, clientAddress(ctx));
    if (enabled) {
      registerAccount.count(account(email));
      registerAddress.count(clientAddress(ctx));
    }
  }

  private void admit(String action, Throttle byAccount, String account, Throttle byAddress, String address) {
    if (!enabled) {
      return;
    }
    long accountWait = byAccount.waitMillis(account);
    long addressWait = byAddress.waitMillis(address);
    long wait = Math.max(accountWait, addressWait);
    if (wait > 0) {
      Counter.builder("bazaar.auth.throttled").description("Logins and registrations refused with 429, by what was closed")
        .tag("action", action).tag("scope", accountWait >= addressWait ? "account" : "address").register(registry).increment();
      long seconds = Math.max(1, (wait + 999) / 1000);
      throw new ApiException(429, "too-many-attempts", "Too many attempts",
        "Too many attempts; retry after " + seconds + " s.", null, Map.of("Retry-After", Long.toString(seconds)));
    }
  }

  private static String account(String email) {
    return email == null ? "" : email.strip().toLowerCase();
  }

  /**
   * The client's address: the last X-Forwarded-For entry (the one the gateway appended, which a
   * client cannot forge) or, reached directly, the peer's.
   */
  static String clientAddress(RoutingContext ctx) {
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded != null && !forwarded.isBlank()) {
      int comma = forwarded.lastIndexOf(',');
      return forwarded.substring(comma + 1).strip();
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
