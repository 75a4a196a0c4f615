package dev.bazaar.user.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Growing delays per key (an account, a client address): {@code freeAttempts} counted attempts may
 * come back to back; the last of them closes the key for {@code baseDelay}, each one after that
 * for twice as long as the one before, up to {@code maxDelay}. A key is forgotten {@code maxDelay} after its last
 * counted attempt, or at once on {@link #forget}. Keys live in a bounded Caffeine cache, so a
 * flood of distinct keys cannot grow memory without bound. Per JVM: with N instances behind the
 * gateway an attacker gets at most N times the allowance.
 */
public final class Throttle {
  /** The shape of the delays. */
  public record Policy(int freeAttempts, Duration baseDelay, Duration maxDelay) {
  }

  private static final class State {
    int attempts;
    long closedUntilNanos;
  }

  private final Policy policy;
  private final LongSupplier nanoClock;
  private final Cache<String, State> states;

  public Throttle(Policy policy, int maxKeys, LongSupplier nanoClock) {
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.states = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterWrite(policy.maxDelay()).build();
  }

  /** Milliseconds until {@code key} may try again; 0 when it may now. */
  public long waitMillis(String key) {
    State state = states.getIfPresent(key);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      return Math.max(0, Duration.ofNanos(state.closedUntilNanos - nanoClock.getAsLong()).toMillis());
    }
  }

  /** Counts an attempt (a failed login, a registration) against {@code key}. */
  public void count(String key) {
    long now = nanoClock.getAsLong();
    State state = states.get(key, k -> new State());
    synchronized (state) {
      state.attempts++;
      int over = state.attempts - policy.freeAttempts() + 1;
      if (over > 0) {
        long delay = policy.baseDelay().toNanos() << Math.min(over - 1, 30);
        state.closedUntilNanos = now + Math.min(delay, policy.maxDelay().toNanos());
      }
    }
    states.put(key, state);
  }

  /** Forgets {@code key} (an account that just proved its password). */
  public void forget(String key) {
    states.invalidate(key);
  }
}
