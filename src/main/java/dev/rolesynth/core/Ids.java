package dev.rolesynth.core;

/** Stable ids and seeds derived from content, so reruns produce the same records and requests. */
public final class Ids {
  private Ids() {}

  public static String sha256Hex(String... parts) {
    return Hashes.sha256Parts(parts);
  }

  /** A non-negative seed for one call, derived from the run seed and the call's identity. */
  public static long seed(long runSeed, String... parts) {
    String[] all = new String[parts.length + 1];
    all[0] = Long.toString(runSeed);
    System.arraycopy(parts, 0, all, 1, parts.length);
    return Long.parseUnsignedLong(sha256Hex(all).substring(0, 15), 16);
  }
}
