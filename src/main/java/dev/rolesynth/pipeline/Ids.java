package dev.rolesynth.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable ids and seeds derived from content, so reruns produce the same records and requests. */
public final class Ids {
  private Ids() {}

  public static String sha256Hex(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A non-negative seed for one call, derived from the run seed and the call's identity. */
  public static long seed(long runSeed, String... parts) {
    String[] all = new String[parts.length + 1];
    all[0] = Long.toString(runSeed);
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Long.parseUnsignedLong(sha256Hex(all).substring(0, 15), 16);
  }
}
