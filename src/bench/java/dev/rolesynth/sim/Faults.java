package dev.rolesynth.sim;

/**
 * Faults the served simulator injects, each a share of requests (decided per request from a seed,
 * so a run is repeatable): server errors, dropped connections, malformed bodies, schema-invalid
 * content, answers slower than a client timeout, and 429 storms where every request is refused for
 * {@code stormSeconds} out of every {@code stormEverySeconds}.
 */
public record Faults(
    double serverErrors,
    double drops,
    double malformed,
    double schemaInvalid,
    double slow,
    long slowMillis,
    long stormEverySeconds,
    long stormSeconds,
    boolean echoAuthorization,
    long seed) {

  public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0, false, 0);

  public Faults {
    double total = serverErrors + drops + malformed + schemaInvalid + slow;
    if (total > 1
        || serverErrors < 0
        || drops < 0
        || malformed < 0
        || schemaInvalid < 0
        || slow < 0) {
      throw new IllegalArgumentException(
          "fault rates must be non-negative and add up to at most 1");
    }
  }

  /** Milliseconds left in the current storm, or 0 outside one. */
  long stormRemainingMillis(long sinceStartMillis) {
    if (stormEverySeconds <= 0 || stormSeconds <= 0) {
      return 0;
    }
    long cycle = stormEverySeconds * 1000;
    long into = sinceStartMillis % cycle;
    long stormStart = cycle - stormSeconds * 1000; // storms close each cycle, so a run starts calm
    return into >= stormStart ? cycle - into : 0;
  }
}
