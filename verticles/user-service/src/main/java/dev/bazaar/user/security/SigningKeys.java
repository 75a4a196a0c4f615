package dev.bazaar.user.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ring of RS256 keys tokens are signed with, kept as files (0600, never committed) in
 * {@code keysDir} and shared by every instance that reads the same directory.
 *
 * <p>The first start generates {@code user-service-signing-key.json}; two instances starting at
 * once race safely (the second one's link fails and it reads the first's key). {@link #rotate}
 * ({@code scripts/bazaar rotate-keys}) adds {@code user-service-signing-key-<millis>.json}; every
 * instance re-reads the directory every few seconds ({@link #reload}). A key is published in the
 * JWKS as soon as an instance has read it, and signs only once it is {@code activation} old, so that
 * every instance and every verifier can know it before the first token names it. A key stops
 * signing when its successor becomes active, and leaves the JWKS (its file is deleted)
 * {@code retention} (token lifetime + margin) after that: no token it signed is still valid.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  static final String FIRST = "user-service-signing-key.json";
  private static final String PREFIX = "user-service-signing-key";

  private final Path keysDir;
  private final Duration retention;
  private final Duration activation;
  private final Clock clock;
  private volatile List<Entry> ring = List.of();

  /** A key, when it was made, and its signer. */
  private record Entry(RSAKey key, Instant created, Path file, JWSSigner signer) {
  }

  /** The key that signs now, with its signer. */
  public record Signing(RSAKey key, JWSSigner signer) {
  }

  SigningKeys(Path keysDir, Duration retention, Duration activation, Clock clock) {
    this.keysDir = keysDir;
    this.retention = retention;
    this.activation = activation;
    this.clock = clock;
  }

  /** Creates the first key if the directory has none, then reads the ring. */
  public static Future<SigningKeys> loadOrCreate(Vertx vertx, Path keysDir, Duration retention, Duration activation) {
    return vertx.executeBlocking(() -> open(keysDir, retention, activation, Clock.systemUTC()));
  }

  static SigningKeys open(Path keysDir, Duration retention, Duration activation, Clock clock)
    throws IOException, JOSEException, ParseException {
    if (keyFiles(keysDir).isEmpty()) {
      loadOrCreate(keysDir, clock);
    }
    SigningKeys keys = new SigningKeys(keysDir, retention, activation, clock);
    keys.reload();
    return keys;
  }

  static RSAKey loadOrCreate(Path keysDir) throws IOException, JOSEException, ParseException {
    return loadOrCreate(keysDir, Clock.systemUTC());
  }

  private static RSAKey loadOrCreate(Path keysDir, Clock clock) throws IOException, JOSEException, ParseException {
    Path file = keysDir.resolve(FIRST);
    if (Files.exists(file)) {
      return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
    RSAKey generated = write(keysDir, file, clock);
    return generated == null ? RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8)) : generated;
  }

  /** Writes a new key into {@code keysDir}; instances sign with it once it is {@code activation} old. */
  public static RSAKey rotate(Path keysDir, Clock clock) throws IOException, JOSEException {
    while (true) {
      Path file = keysDir.resolve(PREFIX + "-" + clock.millis() + ".json");
      RSAKey generated = write(keysDir, file, clock);
      if (generated != null) {
        return generated;
      }
    }
  }

  /** The new key, or null when {@code file} already existed (it is left as it was). */
  private static RSAKey write(Path keysDir, Path file, Clock clock) throws IOException, JOSEException {
    Files.createDirectories(keysDir);
    RSAKey generated = new RSAKeyGenerator(2048)
      .keyUse(KeyUse.SIGNATURE)
      .algorithm(JWSAlgorithm.RS256)
      .keyIDFromThumbprint(true)
      .issueTime(Date.from(clock.instant()))
      .generate();
    Path temp = Files.createTempFile(keysDir, "key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generated.toJSONString(), StandardCharsets.UTF_8);
    // A hard link appears atomically and only if the name is free (a rename would replace a key
    // another instance already signs with).
    try {
      Files.createLink(file, temp);
      return generated;
    } catch (FileAlreadyExistsException e) {
      return null;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Re-reads the directory (blocking): new keys join the ring, keys past their retention leave it
   * and their files are deleted. A file that cannot be read is skipped (and logged); the ring is
   * kept as it was when no key can be read at all.
   */
  public void reload() throws IOException {
    List<Entry> read = new ArrayList<>();
    for (Path file : keyFiles(keysDir)) {
      try {
        RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
        Instant created = key.getIssueTime() != null ? key.getIssueTime().toInstant() : Files.getLastModifiedTime(file).toInstant();
        read.add(new Entry(key, created, file, new RSASSASigner(key)));
      } catch (IOException | ParseException | JOSEException | RuntimeException e) {
        LOG.warn("signing key {} skipped: {}", file.getFileName(), e.toString());
      }
    }
    if (read.isEmpty()) {
      return;
    }
    read.sort(Comparator.comparing(Entry::created).thenComparing(e -> e.key().getKeyID()));
    List<Entry> kept = live(read, clock.instant());
    for (Entry entry : read) {
      if (!kept.contains(entry)) {
        LOG.info("signing key {} retired more than {} ago: removed", entry.key().getKeyID(), retention);
        Files.deleteIfExists(entry.file());
      }
    }
    ring = List.copyOf(kept);
  }

  /** The key that signs now: the newest one that is {@code activation} old, else the oldest one. */
  public Signing current() {
    List<Entry> entries = ring;
    Entry signing = entries.get(signingIndex(entries, clock.instant()));
    return new Signing(signing.key(), signing.signer());
  }

  /** The public halves of every key in the ring, as served at {@code /.well-known/jwks.json}. */
  public JWKSet publicSet() {
    List<Entry> entries = live(ring, clock.instant());
    List<JWK> keys = new ArrayList<>();
    for (Entry entry : entries) {
      keys.add(entry.key().toPublicJWK());
    }
    return new JWKSet(keys);
  }

  private int signingIndex(List<Entry> sorted, Instant now) {
    for (int i = sorted.size() - 1; i >= 0; i--) {
      if (!sorted.get(i).created().plus(activation).isAfter(now)) {
        return i;
      }
    }
    return 0;
  }

  /** The keys still needed: the signing key, keys not yet active, and keys retired less than {@code retention} ago. */
  private List<Entry> live(List<Entry> sorted, Instant now) {
    int signing = signingIndex(sorted, now);
    List<Entry> kept = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Instant retired = i < signing ? sorted.get(i + 1).created().plus(activation) : null;
      if (retired == null || !retired.plus(retention).isBefore(now)) {
        kept.add(sorted.get(i));
      }
    }
    return kept;
  }

  private static List<Path> keyFiles(Path keysDir) throws IOException {
    if (!Files.isDirectory(keysDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(keysDir)) {
      return files.filter(f -> {
        String name = f.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(".json");
      }).sorted().toList();
    }
  }
}
