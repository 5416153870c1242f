package dev.rolesynth.llm;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rate-limit service request's query, read strictly: every value checked before it is acted on.
 */
final class ServiceQuery {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** A request the service will not act on: answered with {@code status} and one line. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }
  }

  private final Map<String, String> values;

  private ServiceQuery(Map<String, String> values) {
    this.values = values;
  }

  static ServiceQuery parse(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        try {
          out.put(
              URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
              kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        } catch (IllegalArgumentException e) {
          throw new Refused(400, "the query is not valid URL encoding");
        }
      }
    }
    return new ServiceQuery(out);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  /** The budget's name. */
  String name() {
    String name = values.get("budget");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new Refused(400, "budget must be 1 to 64 letters, digits or . _ : -");
    }
    return name;
  }

  /** A rate per minute: more than 0 and at most {@link RateLimitService#MAX_PER_MINUTE}. */
  double rate(String key) {
    double v = number(key);
    if (!(v > 0) || v > RateLimitService.MAX_PER_MINUTE) {
      throw new Refused(
          400, key + " must be more than 0 and at most " + (long) RateLimitService.MAX_PER_MINUTE);
    }
    return v;
  }

  double number(String key) {
    String raw = values.get(key);
    double v;
    try {
      v = Double.parseDouble(raw == null ? "" : raw.strip());
    } catch (NumberFormatException e) {
      throw new Refused(400, key + " must be a number");
    }
    if (!Double.isFinite(v)) {
      throw new Refused(400, key + " must be finite");
    }
    return v;
  }

  long whole(String key, long min, long max) {
    String raw = values.get(key);
    long v;
    try {
      v = Long.parseLong(raw == null ? "" : raw.strip());
    } catch (NumberFormatException e) {
      throw new Refused(400, key + " must be a whole number");
    }
    if (v < min || v > max) {
      throw new Refused(400, key + " must be from " + min + " to " + max);
    }
    return v;
  }
}
