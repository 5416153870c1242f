package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The client against a scripted server: read script, run, verify (OkHttp's MockWebServer style).
 */
public class LlmClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String KEY = "sk-test-SECRET-1234567890";
  private MockWebServer server;
  private FakeClock clock;

  @Before
  public void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getLoopbackAddress(), 0);
    clock = new FakeClock();
  }

  @After
  public void stop() {
    server.close();
  }

  private LlmClient client(double rpm, double tpm, int maxRepairs) {
    return client(builder(rpm, tpm, maxRepairs).build());
  }

  private LlmConfig.Builder builder(double rpm, double tpm, int maxRepairs) {
    return LlmConfig.builder(server.url("/v1").toString(), "test-model")
        .maxRequestsPerMinute(rpm)
        .maxTokensPerMinute(tpm)
        .maxConcurrentRequests(4)
        .timeoutSeconds(5)
        .maxAttempts(4)
        .maxRepairs(maxRepairs);
  }

  private LlmClient client(LlmConfig config) {
    return new LlmClient(
        new OpenAiHttpBackend(config.endpoint(), "test-model", KEY, Duration.ofSeconds(5)),
        config,
        clock);
  }

  private static JsonNode schema() throws Exception {
    return MAPPER.readTree(
        "{\"type\":\"object\",\"required\":[\"score\"],\"properties\":{\"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}}}");
  }

  private static ChatRequest request(JsonNode schema) {
    return new ChatRequest(
        "test_stage",
        List.of(ChatMessage.system("judge"), ChatMessage.user("rate this")),
        0.2,
        100,
        7,
        schema);
  }

  /** A chat-completion answer with usage, as an OpenAI-compatible server sends it. */
  public static MockResponse ok(String content, int prompt, int completion) throws Exception {
    String body =
        MAPPER
            .createObjectNode()
            .set(
                "choices",
                MAPPER
                    .createArrayNode()
                    .add(
                        MAPPER
                            .createObjectNode()
                            .put("finish_reason", "stop")
                            .set(
                                "message",
                                MAPPER
                                    .createObjectNode()
                                    .put("role", "assistant")
                                    .put("content", content))))
            .toString();
    JsonNode withUsage = MAPPER.readTree(body);
    ((com.fasterxml.jackson.databind.node.ObjectNode) withUsage)
        .putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion);
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(withUsage.toString())
        .build();
  }

  @Test
  public void sendsAnOpenAiRequestWithJsonSchemaAndBearerKey() throws Exception {
    server.enqueue(ok("{\"score\": 7}", 30, 5));
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertEquals(7, outcome.json().get("score").asInt());
    RecordedRequest r = server.takeRequest();
    assertEquals("/v1/chat/completions", r.getUrl().encodedPath());
    assertEquals("Bearer " + KEY, r.getHeaders().get("Authorization"));
    JsonNode body = MAPPER.readTree(r.getBody().utf8());
    assertEquals("test-model", body.get("model").asText());
    assertEquals("json_schema", body.at("/response_format/type").asText());
    assertEquals("test_stage", body.at("/response_format/json_schema/name").asText());
    assertEquals(
        10, body.at("/response_format/json_schema/schema/properties/score/maximum").asInt());
    assertEquals(7, body.get("seed").asLong());
    assertEquals(30, outcome.stats().promptTokens);
    assertEquals(5, outcome.stats().completionTokens);
  }

  @Test
  public void waitsAsA429SaysThenSucceeds() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("retry-after-ms", "750")
            .body("{\"error\":{}}")
            .build());
    server.enqueue(
        new MockResponse.Builder().code(429).addHeader("retry-after", "2").body("{}").build());
    server.enqueue(ok("{\"score\": 3}", 10, 2));
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertEquals(3, outcome.stats().requests);
    assertEquals(2, outcome.stats().rateLimited);
    assertEquals(2, outcome.stats().retries);
    // Never a blind immediate retry: the waits are the server's 750 ms, then 2 s.
    assertEquals(List.of(750L, 2_000L), clock.sleepsMillis());
  }

  @Test
  public void readsOpenAiResetHeadersWhenNoRetryAfter() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("x-ratelimit-reset-requests", "1s")
            .addHeader("x-ratelimit-reset-tokens", "6m0s")
            .body("{}")
            .build());
    server.enqueue(ok("{\"score\": 3}", 10, 2));
    assertTrue(client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE).ok());
    assertEquals(List.of(360_000L), clock.sleepsMillis());
  }

  @Test
  public void retriesServerErrorsAndMalformedBodiesWithJitteredBackoff() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    server.enqueue(new MockResponse.Builder().code(200).body("<html>proxy error</html>").build());
    server.enqueue(ok("{\"score\": 9}", 10, 2));
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertEquals(3, outcome.stats().requests);
    assertEquals(2, outcome.stats().retries);
    assertEquals(0, outcome.stats().rateLimited);
    List<Long> waits = clock.sleepsMillis();
    assertEquals(2, waits.size());
    assertThat(waits.get(0), allOf(greaterThanOrEqualTo(250L), lessThan(501L)));
    assertThat(waits.get(1), allOf(greaterThanOrEqualTo(500L), lessThan(1_001L)));
  }

  @Test
  public void givesUpAfterBoundedAttempts() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(500).body("down").build());
    }
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertFalse(outcome.ok());
    assertEquals("retries_exhausted", outcome.error().reason());
    assertEquals(4, outcome.stats().requests);
    assertThat(outcome.error().getMessage(), containsString("http_500"));
  }

  @Test
  public void otherClientErrorsFailAtOnceAndNeverLeakTheKey() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}")
            .build());
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertFalse(outcome.ok());
    assertEquals(LlmException.Kind.PERMANENT, outcome.error().kind());
    assertEquals("http_401", outcome.error().reason());
    assertEquals(1, server.getRequestCount());
    assertThat(outcome.error().getMessage(), not(containsString(KEY)));
    assertThat(outcome.error().getMessage(), containsString("[REDACTED]"));
  }

  @Test
  public void reAsksWithTheValidationErrorUntilTheAnswerFits() throws Exception {
    server.enqueue(ok("{\"score\": 42}", 10, 2));
    server.enqueue(ok("Sure! ```json\n{\"score\": 8}\n```", 10, 2));
    CallOutcome outcome = client(0, 0, 2).complete(request(schema()), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertEquals(8, outcome.json().get("score").asInt());
    assertEquals(1, outcome.stats().repairs);
    server.takeRequest();
    JsonNode second = MAPPER.readTree(server.takeRequest().getBody().utf8());
    JsonNode messages = second.get("messages");
    assertEquals(4, messages.size());
    assertEquals("assistant", messages.get(2).get("role").asText());
    assertEquals("{\"score\": 42}", messages.get(2).get("content").asText());
    assertThat(messages.get(3).get("content").asText(), containsString("maximum"));
  }

  @Test
  public void stageChecksAlsoTriggerReAsksAndFailWhenExhausted() throws Exception {
    server.enqueue(ok("{\"score\": 2}", 10, 2));
    server.enqueue(ok("{\"score\": 2}", 10, 2));
    CallOutcome outcome =
        client(0, 0, 1)
            .complete(
                request(schema()),
                answer ->
                    answer.get("score").asInt() >= 5 ? null : "score must be at least 5 here");
    assertFalse(outcome.ok());
    assertEquals(LlmException.Kind.INVALID_OUTPUT, outcome.error().kind());
    assertThat(outcome.error().getMessage(), containsString("at least 5"));
    // The dead letter carries the answer that was refused, so a reviewer can see why.
    assertThat(outcome.error().getMessage(), containsString("; rejected answer: {\"score\": 2}"));
    assertEquals(2, outcome.stats().requests);
  }

  @Test
  public void aLongRejectedAnswerIsCutInItsDeadLetter() throws Exception {
    String big = "{\"score\": 2, \"pad\": \"" + "x".repeat(10_000) + "\"}";
    server.enqueue(ok(big, 10, 2));
    CallOutcome outcome =
        client(0, 0, 0)
            .complete(
                request(schema()),
                answer ->
                    answer.get("score").asInt() >= 5 ? null : "score must be at least 5 here");
    assertThat(outcome.error().getMessage().length(), org.hamcrest.Matchers.lessThan(2_200));
    assertThat(outcome.error().getMessage(), containsString("more characters)"));
  }

  @Test
  public void aStageCheckThatThrowsEndsTheCallInsteadOfHangingIt() throws Exception {
    server.enqueue(ok("{\"score\": 4}", 10, 2));
    CallOutcome outcome =
        client(0, 0, 2)
            .submit(
                request(schema()),
                answer -> {
                  throw new IllegalStateException("bug in a stage check");
                })
            .get(10, TimeUnit.SECONDS);
    assertFalse(outcome.ok());
    assertEquals("internal_error", outcome.error().reason());
  }

  @Test
  public void tokenBudgetIsCorrectedByTheReportedUsage() throws Exception {
    // A provider that counts usage: 60,000 tokens a minute = 1,000 a second. The first answer
    // reports
    // 5,000 completion tokens, far beyond the reservation, so the next request waits about 4 s.
    server.enqueue(ok("{\"score\": 1}", 20, 5_000));
    server.enqueue(ok("{\"score\": 2}", 20, 10));
    server.enqueue(ok("{\"score\": 3}", 20, 10));
    LlmClient client =
        client(builder(0, 60_000, 2).tokenAccounting(LlmConfig.TokenAccounting.USAGE).build());
    assertTrue(client.complete(request(schema()), AnswerCheck.NONE).ok());
    clock.clearSleeps();
    assertTrue(client.complete(request(schema()), AnswerCheck.NONE).ok());
    assertThat(clock.totalSleptMillis(), allOf(greaterThanOrEqualTo(3_500L), lessThan(5_500L)));
    clock.clearSleeps();
    clock.advanceMillis(10_000);
    assertTrue(client.complete(request(schema()), AnswerCheck.NONE).ok());
    assertEquals(0, clock.totalSleptMillis());
  }

  @Test
  public void parsesRetryAdviceFormats() {
    assertEquals(250, OpenAiHttpBackend.parseDuration("250ms"));
    assertEquals(360_000, OpenAiHttpBackend.parseDuration("6m0s"));
    assertEquals(1_500, OpenAiHttpBackend.parseDuration("1.5s"));
    assertEquals(2_000, OpenAiHttpBackend.parseDuration("2"));
    okhttp3.Response r =
        new okhttp3.Response.Builder()
            .request(new okhttp3.Request.Builder().url("http://127.0.0.1/").build())
            .protocol(okhttp3.Protocol.HTTP_1_1)
            .code(429)
            .message("")
            .headers(Headers.of("retry-after", "3"))
            .build();
    assertEquals(3_000, OpenAiHttpBackend.retryAfterMillis(r));
  }

  @Test
  public void freeTextStagesSkipValidation() throws Exception {
    server.enqueue(ok("Once upon a time.", 5, 4));
    CallOutcome outcome = client(0, 0, 2).complete(request(null), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertNull(outcome.json());
    assertEquals("Once upon a time.", outcome.content());
    assertFalse(MAPPER.readTree(server.takeRequest().getBody().utf8()).has("response_format"));
  }
}
