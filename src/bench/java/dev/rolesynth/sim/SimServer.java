package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator behind an OpenAI-compatible HTTP API on 127.0.0.1, so that end-to-end tests and the
 * benchmark exercise the real HTTP client. It can add latency (with jitter) and enforce request and
 * token limits the way hosted providers do ({@link ProviderLimits}): buckets holding about one
 * second, tokens charged as prompt plus {@code max_tokens} on arrival, limit headers on every
 * answer or only {@code retry-after} on refusals, and optionally another client spending a share of
 * the same key. Tokens are counted with a real tokenizer (cl100k), not the client's estimate, and
 * an answer longer than {@code max_tokens} is cut off with {@code finish_reason: length}.
 */
public final class SimServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    // The JDK server closes idle connections past 200; a client with thousands of calls in flight
    // then
    // reuses closed ones and counts requests the server never saw. Read once, before the first
    // server.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
    }
  }

  private static final Encoding CL100K =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  /**
   * @param latencyMillis mean added latency per answer
   * @param jitterMillis latency varies uniformly by this much either way
   */
  /**
   * @param apiKey the key requests must carry as a bearer token, or null for none
   * @param models the models {@code /v1/models} lists and completions accept; empty = any name
   */
  public record Config(
      long latencyMillis,
      long jitterMillis,
      ProviderLimits.Settings limits,
      Faults faults,
      String apiKey,
      List<String> models) {
    public Config {
      models = models == null ? List.of() : List.copyOf(models);
    }

    public Config(
        long latencyMillis, long jitterMillis, ProviderLimits.Settings limits, Faults faults) {
      this(latencyMillis, jitterMillis, limits, faults, null, List.of());
    }

    public static Config of(long latencyMillis, double rpm) {
      return new Config(
          latencyMillis,
          0,
          new ProviderLimits.Settings(rpm, 0, true, 1.0, 0, false, 1),
          Faults.NONE);
    }

    /** A provider that wants this key and serves only these models. */
    public Config withKey(String key, String... served) {
      return new Config(latencyMillis, jitterMillis, limits, faults, key, List.of(served));
    }

    public Config withLimits(double rpm, double tpm, boolean headers, double backgroundShare) {
      return new Config(
          latencyMillis,
          jitterMillis,
          new ProviderLimits.Settings(
              rpm,
              tpm,
              headers,
              limits.burstSeconds(),
              backgroundShare,
              limits.usageOnly(),
              limits.seed()),
          faults,
          apiKey,
          models);
    }

    public Config withJitter(long millis) {
      return new Config(latencyMillis, millis, limits, faults, apiKey, models);
    }

    /** Anthropic's limits and headers: requests, input and output tokens per minute. */
    public Config withAnthropicLimits(double rpm, double inputTpm, double outputTpm) {
      return new Config(
          latencyMillis,
          jitterMillis,
          new ProviderLimits.Settings(rpm, 0, true, limits.burstSeconds(), 0, false, limits.seed())
              .asAnthropic(inputTpm, outputTpm),
          faults,
          apiKey,
          models);
    }

    public Config withFaults(Faults f) {
      return new Config(latencyMillis, jitterMillis, limits, f, apiKey, models);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Config config;
  private final long t0 = System.nanoTime();
  private final ProviderLimits limits;
  private final AtomicLong answeredPromptTokens = new AtomicLong();
  private final AtomicLong answeredCompletionTokens = new AtomicLong();
  private final AtomicLong authRefused = new AtomicLong();
  private volatile long revokeAfter = Long.MAX_VALUE;
  private final AtomicInteger invalidFirst = new AtomicInteger();

  private final Faults faults;
  private final long startedAtMillis = System.currentTimeMillis();
  private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final ScheduledExecutorService answerer =
      Executors.newScheduledThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "sim-answer");
            t.setDaemon(true);
            return t;
          });
  private final List<Long> acceptedAtNanos = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> refusedAtNanos = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, long[]> stageSpans = new ConcurrentHashMap<>();
  private final Set<Long> seenBodies = ConcurrentHashMap.newKeySet();
  private final AtomicLong repeatedRequests = new AtomicLong();

  /**
   * @param port 0 picks a free port
   * @param rpm requests per minute before 429s; 0 = no limit
   */
  public SimServer(int port, long latencyMillis, double rpm) throws IOException {
    this(port, Config.of(latencyMillis, rpm));
  }

  public SimServer(int port, long latencyMillis, double rpm, Faults faults) throws IOException {
    this(port, Config.of(latencyMillis, rpm).withFaults(faults));
  }

  public SimServer(int port, Config config) throws IOException {
    this.config = config;
    this.faults = config.faults();
    this.limits = new ProviderLimits(config.limits(), 0);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
    this.executor =
        Executors.newFixedThreadPool(
            16,
            r -> {
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

  /**
   * Per stage (the request's schema name): first and last admission ({@link System#nanoTime}) and
   * how many.
   */
  public Map<String, long[]> stageSpans() {
    return new TreeMap<>(stageSpans);
  }

  /**
   * Admitted requests the same as one admitted before (same messages, seed and schema): paid twice.
   */
  public long repeatedRequests() {
    return repeatedRequests.get();
  }

  /** Admitted requests being answered now. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * A 64-bit hash of what makes a request the same request (not its max_tokens, which the client
   * sizes).
   */
  private static long promptKey(ChatRequest r) {
    com.google.common.hash.Hasher h =
        com.google.common.hash.Hashing.murmur3_128()
            .newHasher()
            .putString(r.schemaName(), StandardCharsets.UTF_8)
            .putLong(r.seed());
    r.messages()
        .forEach(
            m ->
                h.putString(m.role(), StandardCharsets.UTF_8)
                    .putInt(m.content().length())
                    .putString(m.content(), StandardCharsets.UTF_8));
    return h.hash().asLong();
  }

  /** The most admitted requests that were being answered at one moment. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * How many requests got each injected fault: 5xx, drop, malformed, schema_invalid, slow, storm.
   */
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

  /** Tokens charged against the token limit so far (prompt + max_tokens per admitted request). */
  /** When the limit refused a request ({@link System#nanoTime()}), for timelines. */
  public List<Long> refusedAtNanos() {
    synchronized (refusedAtNanos) {
      return new ArrayList<>(refusedAtNanos);
    }
  }

  public long tokensCharged() {
    return limits.tokensCharged();
  }

  /** With Anthropic's limits: input tokens and output tokens charged, as settled. */
  public long[] inputOutputCharged() {
    return limits.inputOutputCharged();
  }

  /** Requests the other user of the key got through, and had refused. */
  public long backgroundAdmitted() {
    return limits.backgroundAdmitted();
  }

  public long backgroundRefused() {
    return limits.backgroundRefused();
  }

  /** Prompt and completion tokens of the answers sent, as their usage said. */
  public long answeredTokens() {
    return answeredPromptTokens.get() + answeredCompletionTokens.get();
  }

  /** Seconds since the server started. */
  public double elapsedSeconds() {
    return seconds();
  }

  private double seconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Counts of texts seen lately: a dialogue's earlier turns come again with every later turn, and
   * the provider's counting is not the client's CPU, which a benchmark on one machine must not
   * charge it.
   */
  private static final Map<String, Integer> COUNTED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
              return size() > 20_000;
            }
          });

  static int countTokens(String text) {
    Integer n = COUNTED.get(text);
    if (n == null) {
      n = CL100K.countTokensOrdinary(text);
      COUNTED.put(text, n);
    }
    return n;
  }

  /** The prompt as a provider counts it: every message's tokens plus a few for the chat format. */
  static int promptTokens(ChatRequest request) {
    int n = 3;
    for (ChatMessage m : request.messages()) {
      n += 4 + countTokens(m.content());
    }
    return n;
  }

  /**
   * What one request gets, sent when its latency is over: an answer, a torn body, or a dropped
   * connection.
   */
  private record Reply(int code, JsonNode body, byte[] raw, boolean drop) {
    static Reply of(int code, JsonNode body) {
      return new Reply(code, body, null, false);
    }
  }

  /**
   * Answers a completion. The model's latency is a scheduled send, not a sleeping thread, so the
   * server holds thousands of requests at once the way a provider does.
   */
  private void completions(HttpExchange exchange) {
    long n = received.incrementAndGet();
    Reply reply;
    long delay = 0;
    boolean admitted = false;
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply = Reply.of(405, error("only POST is supported"));
      } else {
        JsonNode body = null;
        try {
          body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
          reply = Reply.of(400, error("request body is not JSON"));
        }
        if (body == null) {
          reply = Reply.of(400, error("request body is not JSON"));
        } else if (refusedKey(exchange)) {
          reply = Reply.of(401, error("Incorrect API key provided"));
        } else {
          String model = body.path("model").asText("");
          if (!config.models().isEmpty() && !config.models().contains(model)) {
            reply = Reply.of(404, error("The model '" + model + "' does not exist"));
          } else {
            ChatRequest request = toRequest(body);
            int prompt = promptTokens(request);
            reply = refusal(exchange, request, prompt);
            if (reply == null) {
              admitted = true;
              long at = System.nanoTime();
              acceptedAtNanos.add(at);
              stageSpans.merge(
                  request.schemaName(),
                  new long[] {at, at, 1},
                  (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1]), a[2] + b[2]});
              if (!seenBodies.add(promptKey(request))) {
                repeatedRequests.incrementAndGet();
              }
              int now = inFlight.incrementAndGet();
              maxInFlight.accumulateAndGet(now, Math::max);
              delay = latencyOf(n);
              double x = new SplittableRandom(faults.seed() * 31 + n).nextDouble();
              double edge = faults.serverErrors();
              if (x < edge) {
                count("5xx");
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                // Some providers echo what they were sent; the client must keep it out of every
                // record.
                reply =
                    Reply.of(
                        n % 2 == 0 ? 500 : 503,
                        error(
                            "simulated server error"
                                + (faults.echoAuthorization() && auth != null
                                    ? " for " + auth
                                    : "")));
              } else if (x < (edge += faults.drops())) {
                count("drop");
                reply =
                    new Reply(
                        0, null, null,
                        true); // closing the exchange without an answer drops the connection
              } else if (x < (edge += faults.malformed())) {
                count("malformed");
                reply =
                    new Reply(
                        200,
                        null,
                        "{\"id\": \"chatcmpl-torn\", \"choices\": [{\"message\": {\"content\": \""
                            .getBytes(StandardCharsets.UTF_8),
                        false);
              } else {
                boolean schemaInvalid =
                    x < (edge += faults.schemaInvalid())
                        || (request.structured()
                            && invalidFirst.getAndUpdate(k -> Math.max(0, k - 1)) > 0);
                if (!schemaInvalid && x < edge + faults.slow()) {
                  count("slow");
                  delay += faults.slowMillis();
                }
                reply = Reply.of(200, answer(request, body, prompt, schemaInvalid));
              }
            }
          }
        }
      }
    } catch (RuntimeException e) {
      reply = Reply.of(500, error("simulator error: " + e));
    }
    Reply r = reply;
    boolean counted = admitted;
    Runnable send =
        () -> {
          try (exchange) {
            if (r.drop()) {
              return;
            }
            if (r.raw() != null) {
              exchange.sendResponseHeaders(r.code(), r.raw().length);
              exchange.getResponseBody().write(r.raw());
            } else {
              send(exchange, r.code(), r.body());
            }
          } catch (IOException e) {
            // the client went away (a timeout on its side): nothing to answer
          } finally {
            if (counted) {
              inFlight.decrementAndGet();
            }
          }
        };
    if (delay > 0) {
      answerer.schedule(send, delay, TimeUnit.MILLISECONDS);
    } else {
      send.run();
    }
  }

  /** The added latency of request {@code n}: the mean, varied uniformly by the jitter. */
  private long latencyOf(long n) {
    long latency = config.latencyMillis();
    if (config.jitterMillis() > 0) {
      latency +=
          new SplittableRandom(faults.seed() * 17 + n)
              .nextLong(-config.jitterMillis(), config.jitterMillis() + 1);
    }
    return Math.max(0, latency);
  }

  /**
   * A 429 from a storm or from the limits, with their headers set; null when the request is let
   * through.
   */
  private Reply refusal(HttpExchange exchange, ChatRequest request, int prompt) {
    long storm = faults.stormRemainingMillis(System.currentTimeMillis() - startedAtMillis);
    if (storm > 0) {
      count("storm");
      rateLimited.incrementAndGet();
      exchange.getResponseHeaders().add("retry-after-ms", Long.toString(storm));
      exchange.getResponseHeaders().add("retry-after", Long.toString((storm + 999) / 1000));
      return Reply.of(429, error("rate limit reached, retry in " + storm + " ms"));
    }
    if (limits.limited()) {
      // Anthropic counts input tokens alone (output is its own budget); OpenAI prompt + max_tokens.
      long charge =
          prompt
              + (config.limits().usageOnly() || config.limits().anthropic()
                  ? 0
                  : request.maxTokens());
      ProviderLimits.Decision d = limits.arrive(seconds(), charge, request.maxTokens());
      d.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (!d.admitted()) {
        rateLimited.incrementAndGet();
        refusedAtNanos.add(System.nanoTime());
        return Reply.of(429, error("rate limit reached, retry in " + d.retryAfterMillis() + " ms"));
      }
    }
    return null;
  }

  /** The simulated answer as the provider sends it, cut at max_tokens like a model. */
  private ObjectNode answer(ChatRequest request, JsonNode body, int prompt, boolean schemaInvalid) {
    String content;
    if (schemaInvalid && request.structured()) {
      count("schema_invalid");
      content = "{\"unexpected\": \"this answer ignores the schema\"}";
    } else {
      content = SimulatedLlm.answer(request);
    }
    String finish = "stop";
    int completion = countTokens(content);
    if (completion > request.maxTokens()) {
      // A model stops at max_tokens wherever it is: mid-word, mid-JSON.
      content = CL100K.decode(CL100K.encodeOrdinary(content, request.maxTokens()).getTokens());
      completion = request.maxTokens();
      finish = "length";
    }
    limits.charge(seconds(), completion, request.maxTokens());
    answeredPromptTokens.addAndGet(prompt);
    answeredCompletionTokens.addAndGet(completion);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", "chatcmpl-sim-" + answered.incrementAndGet());
    out.put("object", "chat.completion");
    out.put("created", System.currentTimeMillis() / 1000);
    out.put("model", body.path("model").asText("sim"));
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", finish);
    out.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return out;
  }

  private void models(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (refusedKey(exchange)) {
        send(exchange, 401, error("Incorrect API key provided"));
        return;
      }
      ObjectNode out = MAPPER.createObjectNode();
      out.put("object", "list");
      var data = out.putArray("data");
      config.models().forEach(m -> data.addObject().put("id", m).put("object", "model"));
      send(exchange, 200, out);
    }
  }

  /**
   * True when a key is wanted and the request lacks it (or brings another): the request gets a 401.
   */
  private boolean refusedKey(HttpExchange exchange) {
    boolean revoked = answered.get() >= revokeAfter;
    if (config.apiKey() == null && !revoked) {
      return false;
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (!revoked && ("Bearer " + config.apiKey()).equals(auth)) {
      return false;
    }
    authRefused.incrementAndGet();
    return true;
  }

  /**
   * The next {@code n} structured answers ignore their schema: a first answer that fails its
   * checks.
   */
  public SimServer invalidFirst(int n) {
    invalidFirst.set(n);
    return this;
  }

  /**
   * From the given number of answers on, every request is refused as if the key had been revoked.
   */
  public void revokeKeyAfter(long answers) {
    revokeAfter = answers;
  }

  /** Requests answered 401 for a missing or wrong key. */
  public long authRefused() {
    return authRefused.get();
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
    answerer.shutdownNow();
    executor.shutdownNow();
  }
}
