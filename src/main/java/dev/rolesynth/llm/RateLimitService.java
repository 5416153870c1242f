package dev.rolesynth.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One rate limit for every worker of a job: the budgets live here, and each worker JVM reserves its
 * permits over HTTP before sending ({@link RemoteRateBudget}). The service only answers "wait this
 * long"; the waiting happens at the worker, so a slow worker never holds the budget hostage.
 *
 * <p>Only the job's workers get in: every request carries the job's secret as {@code Authorization:
 * Bearer …}, compared in constant time; anything else is answered 401 and changes nothing. Only sane
 * requests change a budget: rates finite, positive and at most {@link #MAX_PER_MINUTE}; permits, refunds
 * and caps at most one minute of the budget; pauses at most {@link #MAX_PAUSE_MILLIS}; names short and
 * plain; at most {@link #MAX_BUDGETS} budgets. Anything else is answered 400 with a one-line reason, and
 * the service keeps serving whatever it is sent.
 *
 * <p>A budget is named by the caller ({@code requests:<hash>}, {@code tokens:<hash>}: the hash of the
 * endpoint and model, never the URL) and created on first use with the rate the caller states, so
 * jobs that share an endpoint and a service share its budget. A later caller stating another rate for
 * the same name gets the first one's rate and is told so in a header; {@code /rate} changes it.
 *
 * <pre>
 *   POST /reserve?budget=NAME&amp;perMinute=R&amp;permits=N   → 200, body: nanoseconds to wait
 *   POST /adjust?budget=NAME&amp;delta=D[&amp;perMinute=R]     → 204 (with R, a budget not yet made is made)
 *   POST /rate?budget=NAME&amp;perMinute=R                   → 204
 *   POST /pause?budget=NAME&amp;millis=M[&amp;perMinute=R]     → 204
 *   POST /cap?budget=NAME&amp;permits=P[&amp;perMinute=R]      → 204
 *   GET  /stats                                           → 200, "NAME granted=G" per line
 * </pre>
 */
public final class RateLimitService implements AutoCloseable {
  /** The highest rate a budget may have: a billion permits (tokens) a minute. */
  public static final double MAX_PER_MINUTE = 1e9;
  /** The longest pause a worker may ask for: an hour, the longest wait providers advise. */
  public static final long MAX_PAUSE_MILLIS = 3_600_000;
  public static final int MAX_BUDGETS = 1_000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final byte[] token;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  private record Budget(double perMinute, SmoothRateLimiter limiter, AtomicLong granted) {}

  /** A request this service will not act on: answered with {@code status} and one line. */
  private static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }
  }

  @FunctionalInterface
  private interface Action {
    void run(HttpExchange ex, Map<String, String> q) throws IOException;
  }

  /**
   * Serves on {@code bindHost:port} (port 0 picks a free one).
   *
   * @param token the secret every request must carry; at least 16 characters
   */
  public RateLimitService(String bindHost, int port, Clock clock, String token) throws IOException {
    if (token == null || token.strip().length() < 16) {
      throw new IllegalArgumentException("the rate-limit service needs a secret of at least 16 characters");
    }
    this.clock = clock;
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "rate-limit-service");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/reserve", ex -> handle(ex, "POST", this::reserve));
    server.createContext("/adjust", ex -> handle(ex, "POST", this::adjust));
    server.createContext("/rate", ex -> handle(ex, "POST", this::rate));
    server.createContext("/pause", ex -> handle(ex, "POST", this::pause));
    server.createContext("/cap", ex -> handle(ex, "POST", this::cap));
    server.createContext("/stats", ex -> handle(ex, "GET", this::stats));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL workers use, with the host they reach this machine by. */
  public String url(String advertisedHost) {
    String host = advertisedHost.contains(":") && !advertisedHost.startsWith("[") ? "[" + advertisedHost + "]" : advertisedHost;
    return "http://" + host + ":" + port();
  }

  /** Permits granted so far per budget name. */
  public Map<String, Long> granted() {
    Map<String, Long> out = new LinkedHashMap<>();
    budgets.forEach((k, v) -> out.put(k, v.granted().get()));
    return out;
  }

  /** Checks the secret and the method, runs the action, and answers whatever happens. */
  private void handle(HttpExchange ex, String method, Action action) {
    try (ex) {
      try {
        if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
          throw new Refused(401, "missing or wrong bearer token");
        }
        if (!method.equals(ex.getRequestMethod())) {
          throw new Refused(405, "use " + method);
        }
        action.run(ex, query(ex.getRequestURI()));
      } catch (Refused r) {
        send(ex, r.status, r.getMessage());
      } catch (RuntimeException e) {
        send(ex, 400, "bad request: " + e.getClass().getSimpleName());
      }
    } catch (IOException | RuntimeException e) {
      // The client went away mid-answer; nothing to tell it.
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(token, header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8));
  }

  private void reserve(HttpExchange ex, Map<String, String> q) throws IOException {
    String name = name(q);
    double perMinute = rate(q, "perMinute");
    // Checked before the budget exists: a refused request creates nothing.
    Budget known = budgets.get(name);
    long permits = whole(q, "permits", 0, (long) Math.ceil(known != null ? known.perMinute() : perMinute));
    Budget b = budget(name, perMinute);
    if (b.perMinute() != perMinute) {
      ex.getResponseHeaders().add("X-Rate-Limit-Note", "budget " + name + " runs at " + b.perMinute() + "/min");
    }
    long wait = b.limiter().reserve(permits);
    b.granted().addAndGet(permits);
    send(ex, 200, Long.toString(wait));
  }

  private void adjust(HttpExchange ex, Map<String, String> q) throws IOException {
    Budget b = existing(q);
    long minute = (long) Math.ceil(b.perMinute());
    long delta = whole(q, "delta", -minute, minute);
    b.limiter().adjust(delta);
    b.granted().addAndGet(delta);
    ex.sendResponseHeaders(204, -1);
  }

  /** A worker learned or discovered the provider's rate: every worker spends at it from now on. */
  private void rate(HttpExchange ex, Map<String, String> q) throws IOException {
    String name = name(q);
    double perMinute = rate(q, "perMinute");
    budget(name, perMinute).limiter().setRate(perMinute);
    ex.sendResponseHeaders(204, -1);
  }

  /** A provider asked a worker to wait: no worker is granted anything until then. */
  private void pause(HttpExchange ex, Map<String, String> q) throws IOException {
    Budget b = existing(q);
    b.limiter().pause(whole(q, "millis", 1, MAX_PAUSE_MILLIS));
    ex.sendResponseHeaders(204, -1);
  }

  /** A provider said less is left than the budget thought (another user of the key). */
  private void cap(HttpExchange ex, Map<String, String> q) throws IOException {
    Budget b = existing(q);
    double permits = number(q, "permits");
    if (Math.abs(permits) > b.perMinute()) {
      throw new Refused(400, "permits must be within one minute of the budget (" + b.perMinute() + ")");
    }
    b.limiter().capAvailable(permits);
    ex.sendResponseHeaders(204, -1);
  }

  private void stats(HttpExchange ex, Map<String, String> q) throws IOException {
    StringBuilder sb = new StringBuilder();
    granted().forEach((k, v) -> sb.append(k).append(" granted=").append(v).append('\n'));
    send(ex, 200, sb.toString());
  }

  private Budget budget(String name, double perMinute) {
    Budget b = budgets.get(name);
    if (b != null) {
      return b;
    }
    if (budgets.size() >= MAX_BUDGETS) {
      throw new Refused(400, "no more than " + MAX_BUDGETS + " budgets");
    }
    return budgets.computeIfAbsent(name, k -> new Budget(perMinute, new SmoothRateLimiter(perMinute, clock), new AtomicLong()));
  }

  /**
   * The budget a call names. A worker may learn of a budget (a limit in the provider's headers) and
   * correct it before any worker reserved from it: with its rate given, it is made then.
   */
  private Budget existing(Map<String, String> q) {
    Budget b = budgets.get(name(q));
    if (b == null && q.containsKey("perMinute")) {
      return budget(name(q), rate(q, "perMinute"));
    }
    if (b == null) {
      throw new Refused(404, "no such budget");
    }
    return b;
  }

  private static String name(Map<String, String> q) {
    String name = q.get("budget");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new Refused(400, "budget must be 1 to 64 letters, digits or . _ : -");
    }
    return name;
  }

  private static double rate(Map<String, String> q, String key) {
    double v = number(q, key);
    if (!(v > 0) || v > MAX_PER_MINUTE) {
      throw new Refused(400, key + " must be more than 0 and at most " + (long) MAX_PER_MINUTE);
    }
    return v;
  }

  private static double number(Map<String, String> q, String key) {
    String raw = q.get(key);
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

  private static long whole(Map<String, String> q, String key, long min, long max) {
    String raw = q.get(key);
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

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = (body.endsWith("\n") || body.isEmpty() ? body : body + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      try {
        out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      } catch (IllegalArgumentException e) {
        throw new Refused(400, "the query is not valid URL encoding");
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
