package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator behind an OpenAI-compatible HTTP API on 127.0.0.1, so that end-to-end tests and the
 * benchmark exercise the real HTTP client. It can add latency and enforce a requests-per-minute
 * limit the way providers do: a token bucket holding one second's worth, refilled continuously,
 * answering 429 with {@code retry-after-ms} and {@code retry-after} when empty.
 */
public final class SimServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final long latencyMillis;
  private final double rpm;
  private final double capacity;
  private double tokens;
  private long lastRefillNanos;

  private final Faults faults;
  private final long startedAtMillis = System.currentTimeMillis();
  private final java.util.Map<String, AtomicLong> injected = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final List<Long> acceptedAtNanos = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param port 0 picks a free port
   * @param rpm requests per minute before 429s; 0 = no limit
   */
  public SimServer(int port, long latencyMillis, double rpm) throws IOException {
    this(port, latencyMillis, rpm, Faults.NONE);
  }

  public SimServer(int port, long latencyMillis, double rpm, Faults faults) throws IOException {
    this.faults = faults;
    this.latencyMillis = latencyMillis;
    this.rpm = rpm;
    this.capacity = Math.max(1, rpm / 60.0);
    this.tokens = capacity;
    this.lastRefillNanos = System.nanoTime();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
    this.executor = Executors.newFixedThreadPool(256, r -> {
      Thread t = new Thread(r, "sim-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::completions);
    server.createContext("/v1/models", this::models);
    server.start();
  }

  /** Base URL to pass as {@code --llmEndpoint}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public long received() {
    return received.get();
  }

  public long answered() {
    return answered.get();
  }

  public long rateLimited() {
    return rateLimited.get();
  }

  /** How many requests got each injected fault: 5xx, drop, malformed, schema_invalid, slow, storm. */
  public long injected(String fault) {
    AtomicLong n = injected.get(fault);
    return n == null ? 0 : n.get();
  }

  private void count(String fault) {
    injected.computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
  }

  /** Arrival times (System.nanoTime) of the requests that were let through the limit. */
  public List<Long> acceptedAtNanos() {
    synchronized (acceptedAtNanos) {
      return new ArrayList<>(acceptedAtNanos);
    }
  }

  /** @return 0 if admitted, else milliseconds until a request would be */
  private synchronized long admit() {
    if (rpm <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - lastRefillNanos) / 60e9 * rpm);
    lastRefillNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * 60_000 / rpm));
  }

  private void completions(HttpExchange exchange) throws IOException {
    try (exchange) {
      long n = received.incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, error("only POST is supported"));
        return;
      }
      JsonNode body;
      try {
        body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
      } catch (IOException e) {
        send(exchange, 400, error("request body is not JSON"));
        return;
      }
      long storm = faults.stormRemainingMillis(System.currentTimeMillis() - startedAtMillis);
      if (storm > 0) {
        count("storm");
      }
      long wait = storm > 0 ? storm : admit();
      if (wait > 0) {
        rateLimited.incrementAndGet();
        exchange.getResponseHeaders().add("retry-after-ms", Long.toString(wait));
        exchange.getResponseHeaders().add("retry-after", Long.toString((wait + 999) / 1000));
        send(exchange, 429, error("rate limit reached, retry in " + wait + " ms"));
        return;
      }
      acceptedAtNanos.add(System.nanoTime());
      ChatRequest request = toRequest(body);
      if (latencyMillis > 0) {
        TimeUnit.MILLISECONDS.sleep(latencyMillis);
      }
      double x = new java.util.SplittableRandom(faults.seed() * 31 + n).nextDouble();
      double edge = faults.serverErrors();
      if (x < edge) {
        count("5xx");
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        // Some providers echo what they were sent; the client must keep it out of every record.
        send(exchange, n % 2 == 0 ? 500 : 503,
            error("simulated server error" + (faults.echoAuthorization() && auth != null ? " for " + auth : "")));
        return;
      }
      if (x < (edge += faults.drops())) {
        count("drop");
        return; // closing the exchange without an answer drops the connection
      }
      if (x < (edge += faults.malformed())) {
        count("malformed");
        byte[] torn = "{\"id\": \"chatcmpl-torn\", \"choices\": [{\"message\": {\"content\": \"".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, torn.length);
        exchange.getResponseBody().write(torn);
        return;
      }
      boolean schemaInvalid = x < (edge += faults.schemaInvalid());
      if (!schemaInvalid && x < edge + faults.slow()) {
        count("slow");
        TimeUnit.MILLISECONDS.sleep(faults.slowMillis());
      }
      String content;
      if (schemaInvalid && request.structured()) {
        count("schema_invalid");
        content = "{\"unexpected\": \"this answer ignores the schema\"}";
      } else {
        content = SimulatedLlm.answer(request);
      }
      ObjectNode out = MAPPER.createObjectNode();
      out.put("id", "chatcmpl-sim-" + answered.incrementAndGet());
      out.put("object", "chat.completion");
      out.put("created", System.currentTimeMillis() / 1000);
      out.put("model", body.path("model").asText("sim"));
      ObjectNode choice = out.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", content);
      choice.put("finish_reason", "stop");
      int prompt = request.estimatePromptTokens();
      int completion = Math.max(1, content.length() / 4);
      out.putObject("usage")
          .put("prompt_tokens", prompt)
          .put("completion_tokens", completion)
          .put("total_tokens", prompt + completion);
      send(exchange, 200, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void models(HttpExchange exchange) throws IOException {
    try (exchange) {
      ObjectNode out = MAPPER.createObjectNode();
      out.put("object", "list");
      out.putArray("data").addObject().put("id", "sim").put("object", "model");
      send(exchange, 200, out);
    }
  }

  static ChatRequest toRequest(JsonNode body) {
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
    }
    JsonNode js = body.path("response_format").path("json_schema");
    JsonNode schema = js.has("schema") ? js.get("schema") : null;
    return new ChatRequest(
        js.path("name").asText("free_text"),
        messages,
        body.path("temperature").asDouble(0.7),
        body.path("max_tokens").asInt(512),
        body.path("seed").asLong(0),
        schema);
  }

  private static ObjectNode error(String message) {
    ObjectNode out = MAPPER.createObjectNode();
    out.putObject("error").put("message", message).put("type", "sim_error");
    return out;
  }

  private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
