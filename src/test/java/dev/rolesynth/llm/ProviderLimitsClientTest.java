package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The client against providers that limit the way hosted ones do, scripted with MockWebServer:
 * limits learned from headers, pacing after a cooldown, tokens reserved as the provider counts
 * them, the remaining counts of a shared key, max_tokens sized from answers, and patience with
 * 429s.
 */
public class ProviderLimitsClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private MockWebServer server;
  private FakeClock clock;
  private final List<String> log = new ArrayList<>();

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

  private LlmConfig.Builder config() {
    return LlmConfig.builder(server.url("/v1").toString(), "m")
        .maxConcurrentRequests(4)
        .timeoutSeconds(5)
        .maxAttempts(3);
  }

  private LlmClient client(LlmConfig config) {
    return new LlmClient(
        new OpenAiHttpBackend(config.endpoint(), "m", null, Duration.ofSeconds(5)),
        config,
        clock,
        null,
        log::add);
  }

  private static ChatRequest request(int maxTokens) {
    return new ChatRequest(
        "stage", List.of(ChatMessage.user("say something")), 0.2, maxTokens, 1, null);
  }

  private static MockResponse ok(int completionTokens, String... headers) {
    return ok("fine", completionTokens, "stop", headers);
  }

  private static MockResponse ok(
      String content, int completionTokens, String finish, String... headers) {
    String body =
        "{\"choices\":[{\"finish_reason\":\""
            + finish
            + "\",\"message\":{\"role\":\"assistant\",\"content\":"
            + MAPPER.valueToTree(content)
            + "}}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":"
            + completionTokens
            + "}}";
    MockResponse.Builder b = new MockResponse.Builder().code(200).body(body);
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private static MockResponse tooMany(String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder().code(429).body("{\"error\":{\"message\":\"slow down\"}}");
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  public void adoptsTheLimitAProviderStatesWhenNoneIsSet() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(
          ok(5, "x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "59"));
    }
    LlmClient client = client(config().build());
    for (int i = 0; i < 6; i++) {
      assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    }
    // The first answer said 60/min: from then on one request a second, starting without a burst.
    assertEquals(60, client.throttle().requestsPerMinute(), 1e-9);
    assertEquals(4, clock.sleepsMillis().size());
    assertThat(
        clock.sleepsMillis(), everyItem(allOf(greaterThanOrEqualTo(999L), lessThan(1_001L))));
    assertThat(String.join("\n", log), containsString("states its limits"));
  }

  @Test
  public void theLowerOfTheConfiguredAndTheStatedLimitHolds() throws Exception {
    server.enqueue(ok(5, "x-ratelimit-limit-requests", "60"));
    LlmClient lower = client(config().maxRequestsPerMinute(600).build());
    assertTrue(lower.complete(request(50), AnswerCheck.NONE).ok());
    assertEquals(60, lower.throttle().requestsPerMinute(), 1e-9);

    server.enqueue(ok(5, "x-ratelimit-limit-requests", "6000"));
    LlmClient configured =
        client(config().maxRequestsPerMinute(120).maxConcurrentRequests(3).build());
    assertTrue(configured.complete(request(50), AnswerCheck.NONE).ok());
    assertEquals(120, configured.throttle().requestsPerMinute(), 1e-9);
  }

  @Test
  public void afterACooldownSendersResumePacedNotAllAtOnce() throws Exception {
    server.enqueue(ok(5, "x-ratelimit-limit-requests", "600"));
    server.enqueue(tooMany("retry-after-ms", "2000", "x-ratelimit-limit-requests", "600"));
    for (int i = 0; i < 5; i++) {
      server.enqueue(ok(5, "x-ratelimit-limit-requests", "600"));
    }
    LlmClient client = client(config().build());
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    clock.clearSleeps();
    long refusedAt = clock.nanoTime();
    for (int i = 0; i < 5; i++) {
      assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    }
    List<Long> sleeps = clock.sleepsMillis();
    // The 429 came at once; every sender waited the 2 s the provider asked for...
    long waited = 0;
    int i = 0;
    while (waited < 2_000) {
      waited += sleeps.get(i++);
    }
    assertEquals(2_000, waited);
    // ...then the five calls went one interval of the pace apart (100 ms at 600/min), none at once.
    List<Long> after = sleeps.subList(i, sleeps.size());
    assertEquals(4, after.size());
    assertThat(after, everyItem(allOf(greaterThanOrEqualTo(100L), lessThan(101L))));
    assertThat((clock.nanoTime() - refusedAt) / 1_000_000, greaterThanOrEqualTo(2_400L));
  }

  @Test
  public void withNothingKnownTheFirstRequestGoesAlone() throws Exception {
    Throttle throttle =
        new Throttle(
            config().build(),
            Clock.SYSTEM,
            (k, r) -> new SmoothRateLimiter(r, Clock.SYSTEM),
            log::add);
    Ticket probe = throttle.acquire(10, 50, 20);
    assertTrue(probe.probe());
    Thread second =
        new Thread(
            () -> {
              try {
                throttle.acquire(10, 50, 20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    second.start();
    String probeWait = "waiting for the provider's first answer (its limits are not known yet)";
    long deadline = System.currentTimeMillis() + 5_000;
    // The caller counts as waiting a moment before it queues behind the probe: wait for the latter.
    while (!probeWait.equals(throttle.waitingFor()) && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    // It waits in bounded slices, and the progress line can say what for.
    assertEquals("a second request waits while the probe is out", probeWait, throttle.waitingFor());
    assertTrue(second.isAlive());
    throttle.answered(probe, new ChatResponse("ok", 10, 5, "stop"));
    second.join(5_000);
    assertFalse(second.isAlive());
    // No headers on the probe's answer: the rate starts slow and is discovered from there.
    assertEquals(RateController.SLOW_START_PER_MINUTE, throttle.requestsPerMinute(), 1e-9);
    assertThat(String.join("\n", log), containsString("starting at 120 requests/min"));
  }

  @Test
  public void slowStartSpeedsUpTheBudgetItselfWhileCallsWaitOnIt() throws Exception {
    for (int i = 0; i < 40; i++) {
      server.enqueue(ok(5));
    }
    LlmClient client = client(config().build());
    for (int i = 0; i < 40; i++) {
      assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    }
    // 120/min at first (waits of half a second), then ×1.5 a second: the waits shrink with it.
    List<Long> sleeps = clock.sleepsMillis();
    assertEquals(500, (long) sleeps.get(0));
    assertThat(sleeps.get(sleeps.size() - 1), lessThan(100L));
    assertThat(
        client.throttle().requestsPerMinute(),
        org.hamcrest.Matchers.greaterThan(5 * RateController.SLOW_START_PER_MINUTE));
  }

  @Test
  public void reservesThePromptPlusMaxTokensAsTheProviderCharges() throws Exception {
    // 60,000 tokens/min = 1,000 a second; each request asks for 990 tokens of completion. The
    // answers
    // use 5, but the provider charged prompt + max_tokens on arrival: each request costs about
    // 1,000.
    for (int i = 0; i < 4; i++) {
      server.enqueue(ok(5));
    }
    LlmClient client = client(config().maxTokensPerMinute(60_000).build());
    assertTrue(client.complete(request(990), AnswerCheck.NONE).ok());
    clock.clearSleeps(); // the budget starts empty: the first waits for it to fill
    for (int i = 0; i < 3; i++) {
      assertTrue(client.complete(request(990), AnswerCheck.NONE).ok());
    }
    assertEquals(3, clock.sleepsMillis().size());
    assertThat(
        clock.sleepsMillis(), everyItem(allOf(greaterThanOrEqualTo(990L), lessThan(1_010L))));
    JsonNode body = MAPPER.readTree(server.takeRequest().getBody().utf8());
    assertEquals(990, body.get("max_tokens").asInt());
  }

  @Test
  public void aRefusalForTokensPausesTheTokensAndLeavesTheRequestRateAlone() throws Exception {
    server.enqueue(
        ok(5, "x-ratelimit-limit-tokens", "60000", "x-ratelimit-remaining-tokens", "59000"));
    server.enqueue(
        tooMany(
            "retry-after-ms",
            "400",
            "x-ratelimit-limit-tokens",
            "60000",
            "x-ratelimit-remaining-tokens",
            "20",
            "x-ratelimit-remaining-requests",
            "50"));
    server.enqueue(
        ok(5, "x-ratelimit-limit-tokens", "60000", "x-ratelimit-remaining-tokens", "59000"));
    LlmClient client = client(config().build());
    assertTrue(client.complete(request(500), AnswerCheck.NONE).ok());
    assertTrue(client.complete(request(500), AnswerCheck.NONE).ok());
    assertTrue(
        "no request limit was ever stated or discovered",
        Double.isInfinite(client.throttle().requestsPerMinute()));
    assertEquals(60_000, client.throttle().tokensPerMinute(), 1e-9);
  }

  @Test
  public void whatTheProviderSaysIsLeftHoldsBackTheNextRequest() throws Exception {
    // Another client spends the same key: the answer says nothing is left, the bucket full again in
    // 30 s.
    server.enqueue(
        ok(5, "x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "59"));
    server.enqueue(
        ok(
            5,
            "x-ratelimit-limit-requests",
            "60",
            "x-ratelimit-remaining-requests",
            "0",
            "x-ratelimit-reset-requests",
            "30s"));
    server.enqueue(
        ok(5, "x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "10"));
    LlmClient client = client(config().build());
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    clock.clearSleeps();
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    // Without the sync it would have waited one interval (1 s); the provider's count makes it wait
    // longer.
    assertThat(clock.totalSleptMillis(), greaterThanOrEqualTo(2_000L));
  }

  @Test
  public void maxTokensShrinksToTheAnswersSeenAndACutOffAnswerIsAskedAgainInFull()
      throws Exception {
    for (int i = 0; i < CompletionSizer.MIN_SAMPLES; i++) {
      server.enqueue(ok(100));
    }
    server.enqueue(ok("{\"partial\": ", 150, "length"));
    server.enqueue(ok("the whole answer", 180, "stop"));
    LlmClient client =
        client(
            config().maxTokensPerMinute(10_000_000).stageMaxTokens(Map.of("stage", 900)).build());
    for (int i = 0; i < CompletionSizer.MIN_SAMPLES; i++) {
      assertTrue(client.complete(request(2_000), AnswerCheck.NONE).ok());
    }
    CallOutcome outcome = client.complete(request(2_000), AnswerCheck.NONE);
    assertEquals("the whole answer", outcome.content());
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < CompletionSizer.MIN_SAMPLES + 2; i++) {
      sent.add(MAPPER.readTree(server.takeRequest().getBody().utf8()).get("max_tokens").asInt());
    }
    assertEquals("the override replaces the stage's own 2,000", 900, (int) sent.get(0));
    assertEquals(
        "1.5 times the longest answer seen", 150, (int) sent.get(CompletionSizer.MIN_SAMPLES));
    assertEquals(
        "cut off by the smaller limit: asked again at the ceiling",
        900,
        (int) sent.get(CompletionSizer.MIN_SAMPLES + 1));
  }

  @Test
  public void anIsolatedLongPauseIsWaitedOutWithoutSlowingDownButRepeatedRefusalsSlowDown()
      throws Exception {
    // 600/min is 100 ms a request; a 2 s wait to the millisecond is a window's reset or an outage.
    server.enqueue(ok(5, "x-ratelimit-limit-requests", "600"));
    server.enqueue(tooMany("retry-after-ms", "2000"));
    server.enqueue(ok(5));
    server.enqueue(tooMany("retry-after-ms", "2000"));
    server.enqueue(ok(5));
    LlmClient client = client(config().build());
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    assertEquals("paused, not slowed", 600, client.throttle().requestsPerMinute(), 1e-9);
    assertTrue(client.complete(request(50), AnswerCheck.NONE).ok());
    assertTrue(
        "a second long wait within seconds is a limit after all",
        client.throttle().requestsPerMinute() < 600);
  }

  @Test
  public void a429NeverLosesACallUntilPatienceRunsOut() throws Exception {
    // Patience of 6 s; the provider asks for 2 s each time and never relents.
    for (int i = 0; i < 10; i++) {
      server.enqueue(tooMany("retry-after", "2"));
    }
    LlmClient client =
        client(config().maxRequestsPerMinute(600).rateLimitPatienceMinutes(0.1).build());
    CallOutcome outcome = client.complete(request(50), AnswerCheck.NONE);
    assertFalse(outcome.ok());
    assertEquals("rate_limit_patience_exhausted", outcome.error().reason());
    assertThat(outcome.error().getMessage(), containsString("--llmRateLimitPatienceMinutes"));
    // It kept asking while patience lasted: 6 s at 2 s a refusal is four refusals, not a retry
    // count.
    assertEquals(4, outcome.stats().rateLimited);
    assertEquals(3, outcome.stats().retries);
  }

  @Test
  public void patienceIsSeparateFromTheErrorRetryBudget() throws Exception {
    // maxAttempts is 3, yet five 429s in a row are waited out and the call succeeds.
    for (int i = 0; i < 5; i++) {
      server.enqueue(tooMany("retry-after-ms", "500"));
    }
    server.enqueue(ok(5));
    CallOutcome outcome =
        client(config().maxRequestsPerMinute(600).build()).complete(request(50), AnswerCheck.NONE);
    assertTrue(outcome.ok());
    assertEquals(5, outcome.stats().rateLimited);
  }
}
