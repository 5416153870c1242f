package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One attempt at {@code POST {base}/chat/completions} against any OpenAI-compatible server (vLLM,
 * llama.cpp server, Ollama, OpenAI). It classifies what went wrong by HTTP status, never by message
 * text, and reads the server's advice on when to come back.
 */
public final class OpenAiHttpBackend implements LlmBackend {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 300;

  /**
   * The JVM's one connection pool and dispatcher; other HTTP users derive their clients from it.
   */
  static OkHttpClient root() {
    return ROOT;
  }

  private static final OkHttpClient ROOT =
      new OkHttpClient.Builder()
          .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
          .dispatcher(unboundedDispatcher())
          .retryOnConnectionFailure(false) // retries are ours, counted and backed off
          .build();

  /**
   * Connections spread over pools by calling thread. OkHttp looks through every connection of its
   * pool to find a free one and again after each call; with a thousand calls in flight one pool
   * cost a tenth of the CPU (profiled at 30,000 RPM and 2 s answers). The pools keep 128 idle
   * connections between them, under the 200 a JDK server keeps (others keep more), so that a
   * server's own cap on idle connections does not close connections a pool is about to reuse.
   */
  private static final int POOLS = 8;

  private static final ConnectionPool[] SHARED_POOLS = new ConnectionPool[POOLS];

  static {
    for (int i = 0; i < POOLS; i++) {
      SHARED_POOLS[i] = new ConnectionPool(128 / POOLS, 5, TimeUnit.MINUTES);
    }
  }

  private final OkHttpClient[] http = new OkHttpClient[POOLS];
  private final String completionsUrl;
  private final String model;
  private final String apiKey;

  /**
   * @param baseUrl for example {@code http://127.0.0.1:8000/v1}
   * @param apiKey the key itself (read by the caller from the environment), or null
   */
  public OpenAiHttpBackend(String baseUrl, String model, String apiKey, Duration timeout) {
    this.completionsUrl = stripSlash(baseUrl) + "/chat/completions";
    this.model = model;
    this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
    OkHttpClient timed =
        ROOT.newBuilder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout.multipliedBy(2))
            .build();
    for (int i = 0; i < POOLS; i++) {
      http[i] = timed.newBuilder().connectionPool(SHARED_POOLS[i]).build();
    }
  }

  private static Dispatcher unboundedDispatcher() {
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(1024);
    d.setMaxRequestsPerHost(1024);
    return d;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String kind() {
    return "openai-compatible";
  }

  @Override
  public ChatResponse chat(ChatRequest request) throws LlmException {
    Request.Builder call =
        new Request.Builder().url(completionsUrl).post(RequestBody.create(body(request), JSON));
    if (apiKey != null) {
      call.header("Authorization", "Bearer " + apiKey);
    }
    OkHttpClient client = http[(int) (Thread.currentThread().getId() % POOLS)];
    try (Response response = client.newCall(call.build()).execute()) {
      String text = response.body().string();
      int code = response.code();
      LimitHeaders limits = LimitHeaders.parse(response::header);
      if (code == 200) {
        return parse(text, limits);
      }
      String detail = scrub(excerpt(text));
      if (code == 429) {
        throw new LlmException(
            LlmException.Kind.RATE_LIMITED,
            "http_429",
            detail,
            retryAfterMillis(response),
            retryAfterPrecise(response),
            limits);
      }
      if (code >= 500 || code == 408) {
        throw new LlmException(LlmException.Kind.TRANSIENT, "http_" + code, detail);
      }
      throw new LlmException(LlmException.Kind.PERMANENT, "http_" + code, detail);
    } catch (InterruptedIOException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "timeout", scrub(e.getMessage()));
    } catch (IOException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "connection_error", scrub(e.toString()));
    }
  }

  byte[] body(ChatRequest request) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("model", model);
    ArrayNode messages = root.putArray("messages");
    for (ChatMessage m : request.messages()) {
      messages.addObject().put("role", m.role()).put("content", m.content());
    }
    root.put("temperature", request.temperature());
    root.put("max_tokens", request.maxTokens());
    root.put("seed", request.seed());
    if (request.structured()) {
      ObjectNode format = root.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode js = format.putObject("json_schema");
      js.put("name", request.schemaName());
      js.set("schema", request.schema());
      js.put("strict", false);
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ChatResponse parse(String text, LimitHeaders limits) throws LlmException {
    try {
      JsonNode root = MAPPER.readTree(text);
      JsonNode choice = root.path("choices").path(0);
      JsonNode content = choice.path("message").path("content");
      if (!content.isTextual()) {
        throw new LlmException(
            LlmException.Kind.TRANSIENT, "malformed_body", "no choices[0].message.content");
      }
      JsonNode usage = root.path("usage");
      return new ChatResponse(
          content.asText(),
          usage.path("prompt_tokens").asInt(-1),
          usage.path("completion_tokens").asInt(-1),
          choice.path("finish_reason").asText(""),
          limits);
    } catch (IOException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "malformed_body", "response is not JSON");
    }
  }

  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  /** The server's advice, first match wins: retry-after-ms, retry-after, x-ratelimit-reset-*. */
  static long retryAfterMillis(Response response) {
    String ms = response.header("retry-after-ms");
    if (ms != null) {
      try {
        return (long) Double.parseDouble(ms.trim());
      } catch (NumberFormatException ignored) {
        // fall through to the next header
      }
    }
    String ra = response.header("retry-after");
    if (ra != null) {
      try {
        return (long) (Double.parseDouble(ra.trim()) * 1000);
      } catch (NumberFormatException e) {
        try {
          ZonedDateTime at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
          return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
        } catch (RuntimeException ignored) {
          // fall through
        }
      }
    }
    // No retry-after: the reset of whichever limit is spent; without remaining counts, the longer
    // reset.
    LimitHeaders h = LimitHeaders.parse(response::header);
    boolean requestsSpent = h.remainingRequests() >= 0 && h.remainingRequests() < 1;
    boolean tokensSpent = h.remainingTokens() >= 0 && h.remainingTokens() < 1;
    if (requestsSpent != tokensSpent) {
      return requestsSpent ? h.resetRequestsMillis() : h.resetTokensMillis();
    }
    return Math.max(h.resetRequestsMillis(), h.resetTokensMillis());
  }

  /**
   * Whether the advice is to the millisecond: retry-after-ms, a fractional retry-after, or a reset
   * time.
   */
  static boolean retryAfterPrecise(Response response) {
    if (response.header("retry-after-ms") != null) {
      return true;
    }
    String ra = response.header("retry-after");
    if (ra != null) {
      return ra.contains(".");
    }
    return response.header("x-ratelimit-reset-requests") != null
        || response.header("x-ratelimit-reset-tokens") != null;
  }

  /**
   * Parses OpenAI's reset durations such as {@code 1s}, {@code 6m0s}, {@code 250ms}, {@code 0.5s}.
   */
  static long parseDuration(String v) {
    Matcher m = GO_DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
    double total = 0;
    boolean any = false;
    while (m.find()) {
      any = true;
      double n = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "h" -> total += n * 3_600_000;
        case "m" -> total += n * 60_000;
        case "s" -> total += n * 1000;
        default -> total += n;
      }
    }
    if (!any) {
      try {
        return (long) (Double.parseDouble(v.trim()) * 1000);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return (long) total;
  }

  private static String excerpt(String text) {
    String t = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return t.length() > MAX_ERROR_BODY ? t.substring(0, MAX_ERROR_BODY) + "…" : t;
  }

  /** Removes the key from anything that might reach a log, dead letter or exception. */
  private String scrub(String s) {
    if (s == null || apiKey == null) {
      return s;
    }
    return s.replace(apiKey, "[REDACTED]");
  }
}
