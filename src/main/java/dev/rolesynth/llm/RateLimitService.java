package dev.rolesynth.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rate limit for every worker of a job: the budgets live here, and each worker JVM reserves its
 * permits over HTTP before sending ({@link RemoteRateBudget}). The service only answers "wait this
 * long"; the waiting happens at the worker, so a slow worker never holds the budget hostage.
 *
 * <p>Only the job's workers get in: every request carries the job's secret as {@code Authorization:
 * Bearer …}, compared in constant time; anything else is answered 401 and changes nothing. Only
 * sane requests change a budget: rates finite, positive and at most {@link #MAX_PER_MINUTE};
 * permits, refunds and caps at most one minute of the budget; pauses at most {@link
 * #MAX_PAUSE_MILLIS}; names short and plain; at most {@link #MAX_BUDGETS} budgets. Anything else is
 * answered 400 with a one-line reason, and the service keeps serving whatever it is sent.
 *
 * <p>A budget is named by the caller ({@code requests:<hash>}, {@code tokens:<hash>}: the hash of
 * the endpoint and model, never the URL) and created on first use with the rate the caller states,
 * so jobs that share an endpoint and a service share its budget. A later caller stating another
 * rate for the same name gets the first one's rate and is told so in a header; {@code /rate}
 * changes it.
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

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final byte[] token;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  private record Budget(double perMinute, SmoothRateLimiter limiter, AtomicLong granted) {}

  @FunctionalInterface
  private interface Action {
    void run(HttpExchange ex, ServiceQuery q) throws IOException;
  }

  /**
   * Serves on {@code bindHost:port} (port 0 picks a free one).
   *
   * @param token the secret every request must carry; at least 16 characters
   */
  public RateLimitService(String bindHost, int port, Clock clock, String token) throws IOException {
    if (token == null || token.strip().length() < 16) {
      throw new IllegalArgumentException(
          "the rate-limit service needs a secret of at least 16 characters");
    }
    this.clock = clock;
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
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
    String host =
        advertisedHost.contains(":") && !advertisedHost.startsWith("[")
            ? "[" + advertisedHost + "]"
            : advertisedHost;
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
          throw new ServiceQuery.Refused(401, "missing or wrong bearer token");
        }
        if (!method.equals(ex.getRequestMethod())) {
          throw new ServiceQuery.Refused(405, "use " + method);
        }
        action.run(ex, ServiceQuery.parse(ex.getRequestURI()));
      } catch (ServiceQuery.Refused r) {
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
    return MessageDigest.isEqual(
        token, header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8));
  }

  private void reserve(HttpExchange ex, ServiceQuery q) throws IOException {
    String name = q.name();
    double perMinute = q.rate("perMinute");
    // Checked before the budget exists: a refused request creates nothing.
    Budget known = budgets.get(name);
    long permits =
        q.whole("permits", 0, (long) Math.ceil(known != null ? known.perMinute() : perMinute));
    Budget b = budget(name, perMinute);
    if (b.perMinute() != perMinute) {
      ex.getResponseHeaders()
          .add("X-Rate-Limit-Note", "budget " + name + " runs at " + b.perMinute() + "/min");
    }
    long wait = b.limiter().reserve(permits);
    b.granted().addAndGet(permits);
    send(ex, 200, Long.toString(wait));
  }

  private void adjust(HttpExchange ex, ServiceQuery q) throws IOException {
    Budget b = existing(q);
    long minute = (long) Math.ceil(b.perMinute());
    long delta = q.whole("delta", -minute, minute);
    b.limiter().adjust(delta);
    b.granted().addAndGet(delta);
    ex.sendResponseHeaders(204, -1);
  }

  /** A worker learned or discovered the provider's rate: every worker spends at it from now on. */
  private void rate(HttpExchange ex, ServiceQuery q) throws IOException {
    String name = q.name();
    double perMinute = q.rate("perMinute");
    budget(name, perMinute).limiter().setRate(perMinute);
    ex.sendResponseHeaders(204, -1);
  }

  /** A provider asked a worker to wait: no worker is granted anything until then. */
  private void pause(HttpExchange ex, ServiceQuery q) throws IOException {
    Budget b = existing(q);
    b.limiter().pause(q.whole("millis", 1, MAX_PAUSE_MILLIS));
    ex.sendResponseHeaders(204, -1);
  }

  /** A provider said less is left than the budget thought (another user of the key). */
  private void cap(HttpExchange ex, ServiceQuery q) throws IOException {
    Budget b = existing(q);
    double permits = q.number("permits");
    if (Math.abs(permits) > b.perMinute()) {
      throw new ServiceQuery.Refused(
          400, "permits must be within one minute of the budget (" + b.perMinute() + ")");
    }
    b.limiter().capAvailable(permits);
    ex.sendResponseHeaders(204, -1);
  }

  private void stats(HttpExchange ex, ServiceQuery q) throws IOException {
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
      throw new ServiceQuery.Refused(400, "no more than " + MAX_BUDGETS + " budgets");
    }
    return budgets.computeIfAbsent(
        name,
        k -> new Budget(perMinute, new SmoothRateLimiter(perMinute, clock), new AtomicLong()));
  }

  /**
   * The budget a call names. A worker may learn of a budget (a limit in the provider's headers) and
   * correct it before any worker reserved from it: with its rate given, it is made then.
   */
  private Budget existing(ServiceQuery q) {
    Budget b = budgets.get(q.name());
    if (b == null && q.has("perMinute")) {
      return budget(q.name(), q.rate("perMinute"));
    }
    if (b == null) {
      throw new ServiceQuery.Refused(404, "no such budget");
    }
    return b;
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b =
        (body.endsWith("\n") || body.isEmpty() ? body : body + "\n")
            .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
