package dev.rolesynth.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * <p>A budget is named by the caller ({@code requests:<endpoint>}, {@code tokens:<endpoint>}) and
 * created on first use with the rate the caller states, so jobs that share an endpoint and a service
 * share its budget. A later caller stating another rate for the same name gets the first one's rate
 * and is told so in the answer's header, never a second budget.
 *
 * <pre>
 *   POST /reserve?budget=NAME&amp;perMinute=R&amp;permits=N   → 200, body: nanoseconds to wait
 *   POST /adjust?budget=NAME&amp;delta=D                     → 204
 *   GET  /stats                                           → 200, "NAME granted=G" per line
 * </pre>
 */
public final class RateLimitService implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  private record Budget(double perMinute, SmoothRateLimiter limiter, AtomicLong granted) {}

  /** Serves on {@code bindHost:port} (port 0 picks a free one). */
  public RateLimitService(String bindHost, int port, Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "rate-limit-service");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/reserve", this::reserve);
    server.createContext("/adjust", this::adjust);
    server.createContext("/rate", this::rate);
    server.createContext("/pause", this::pause);
    server.createContext("/cap", this::cap);
    server.createContext("/stats", this::stats);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL workers use, with the host they reach this machine by. */
  public String url(String advertisedHost) {
    return "http://" + advertisedHost + ":" + port();
  }

  /** Permits granted so far per budget name. */
  public Map<String, Long> granted() {
    Map<String, Long> out = new LinkedHashMap<>();
    budgets.forEach((k, v) -> out.put(k, v.granted().get()));
    return out;
  }

  private void reserve(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI());
      double perMinute = Double.parseDouble(q.getOrDefault("perMinute", "0"));
      long permits = Long.parseLong(q.getOrDefault("permits", "1"));
      String name = q.get("budget");
      if (name == null || perMinute <= 0 || permits < 0) {
        send(ex, 400, "budget, perMinute > 0 and permits >= 0 are required");
        return;
      }
      Budget b = budgets.computeIfAbsent(name, k -> new Budget(perMinute, new SmoothRateLimiter(perMinute, clock), new AtomicLong()));
      if (b.perMinute() != perMinute) {
        ex.getResponseHeaders().add("X-Rate-Limit-Note", "budget " + name + " runs at " + b.perMinute() + "/min");
      }
      long wait = b.limiter().reserve(permits);
      b.granted().addAndGet(permits);
      send(ex, 200, Long.toString(wait));
    } catch (RuntimeException e) {
      send(ex, 400, String.valueOf(e.getMessage()));
    }
  }

  private void adjust(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI());
      Budget b = budgets.get(q.getOrDefault("budget", ""));
      long delta = Long.parseLong(q.getOrDefault("delta", "0"));
      if (b != null) {
        b.limiter().adjust(delta);
        b.granted().addAndGet(delta);
      }
      ex.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      send(ex, 400, String.valueOf(e.getMessage()));
    }
  }

  /** A worker learned or discovered the provider's rate: every worker spends at it from now on. */
  private void rate(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI());
      double perMinute = Double.parseDouble(q.getOrDefault("perMinute", "0"));
      String name = q.get("budget");
      if (name == null || !(perMinute > 0) || Double.isInfinite(perMinute)) {
        send(ex, 400, "budget and a finite perMinute > 0 are required");
        return;
      }
      Budget b = budgets.computeIfAbsent(name, k -> new Budget(perMinute, new SmoothRateLimiter(perMinute, clock), new AtomicLong()));
      b.limiter().setRate(perMinute);
      ex.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      send(ex, 400, String.valueOf(e.getMessage()));
    }
  }

  /** A provider asked a worker to wait: no worker is granted anything until then. */
  private void pause(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI());
      Budget b = budgets.get(q.getOrDefault("budget", ""));
      long millis = Long.parseLong(q.getOrDefault("millis", "0"));
      if (b != null && millis > 0) {
        b.limiter().pause(millis);
      }
      ex.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      send(ex, 400, String.valueOf(e.getMessage()));
    }
  }

  /** A provider said less is left than the budget thought (another user of the key). */
  private void cap(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> q = query(ex.getRequestURI());
      Budget b = budgets.get(q.getOrDefault("budget", ""));
      double permits = Double.parseDouble(q.getOrDefault("permits", "0"));
      if (b != null && Double.isFinite(permits)) {
        b.limiter().capAvailable(permits);
      }
      ex.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      send(ex, 400, String.valueOf(e.getMessage()));
    }
  }

  private void stats(HttpExchange ex) throws IOException {
    try (ex) {
      StringBuilder sb = new StringBuilder();
      granted().forEach((k, v) -> sb.append(k).append(" granted=").append(v).append('\n'));
      send(ex, 200, sb.toString());
    }
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
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
      out.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
