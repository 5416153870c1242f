package dev.rolesynth.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's one hash, SHA-256: of a text, of parts kept apart, or its first 64 bits as a
 * number.
 */
public final class Hashes {
  private Hashes() {}

  /** SHA-256 of the text's UTF-8 bytes. */
  public static byte[] digest(String text) {
    return sha().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of the text, in hex. */
  public static String sha256(String text) {
    return HexFormat.of().formatHex(digest(text));
  }

  /**
   * SHA-256 of the parts, each followed by a NUL byte so that ("ab", "c") and ("a", "bc") differ,
   * in hex.
   */
  public static String sha256Parts(String... parts) {
    MessageDigest sha = sha();
    for (String p : parts) {
      sha.update(p.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The first 64 bits of the text's SHA-256, big-endian (compare unsigned for an order). */
  public static long first64(String text) {
    byte[] d = digest(text);
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xff);
    }
    return h;
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
