package dev.bazaar.platform.secrets;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals a short secret (the card token) for the one service that may read it: AES-256-GCM with a
 * random 96-bit nonce, the {@code context} (the order id) as associated data so that a sealed value
 * copied into another order does not open. Text form: {@code v1.<base64url(nonce || ciphertext || tag)>}.
 *
 * <p>The key is {@code key} (base64url or base64 of 32 bytes, from an environment variable) when
 * given, else the content of {@code keyFile}, generated at first start (0600) by whichever of the
 * services sharing it starts first.
 */
public final class Sealer {
  private static final String PREFIX = "v1.";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  public Sealer(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the sealing key must be " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** From a config section with {@code key} and/or {@code keyFile} (blocking: it may write the file). */
  public static Sealer from(ConfigReader section, String name) {
    String given = section.optionalString("key", "");
    String encoded = given;
    if (given.isEmpty()) {
      String file = section.optionalString("keyFile", "");
      if (file.isEmpty()) {
        throw new ConfigException(name + ".key is missing (set it, or " + name + ".keyFile)");
      }
      try {
        encoded = SecretFiles.readOrCreate(Path.of(file), KEY_BYTES);
      } catch (IOException e) {
        throw new ConfigException(name + ".keyFile " + file + " cannot be read or created: " + e.getMessage());
      }
    }
    try {
      return new Sealer(decode(encoded));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ".key is not the base64 of " + KEY_BYTES + " bytes");
    }
  }

  public String seal(String plain, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** The clear value; {@link IllegalArgumentException} when {@code sealed} is malformed, altered, sealed for another context or with another key. */
  public String unseal(String sealed, String context) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    byte[] in;
    try {
      in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a sealed value");
    }
    if (in.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("not a sealed value");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(in, NONCE_BYTES), context);
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the sealed value does not open with this key for this context");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static byte[] decode(String encoded) {
    String text = encoded.strip();
    return text.indexOf('+') >= 0 || text.indexOf('/') >= 0
      ? Base64.getDecoder().decode(text)
      : Base64.getUrlDecoder().decode(text.replace("=", ""));
  }
}
