package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.rolesynth.sim.SimServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * Anthropic's limit headers: requests, input tokens and output tokens per minute, resets as RFC
 * 3339 times, learned like OpenAI's, against header values and against the served simulator
 * speaking them.
 */
public class AnthropicLimitsTest {
  @Test
  public void anthropicHeadersGiveRequestsAndSeparateInputAndOutputBudgets() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    Map<String, String> h =
        Map.ofEntries(
            Map.entry("anthropic-ratelimit-requests-limit", "50"),
            Map.entry("anthropic-ratelimit-requests-remaining", "49"),
            Map.entry("anthropic-ratelimit-requests-reset", "2026-12-06T12:00:01Z"),
            Map.entry("anthropic-ratelimit-input-tokens-limit", "40000"),
            Map.entry("anthropic-ratelimit-input-tokens-remaining", "39000"),
            Map.entry("anthropic-ratelimit-input-tokens-reset", "2026-12-06T12:00:02Z"),
            Map.entry("anthropic-ratelimit-output-tokens-limit", "8000"),
            Map.entry("anthropic-ratelimit-output-tokens-remaining", "7000"),
            Map.entry("anthropic-ratelimit-output-tokens-reset", "2026-12-06T12:00:07.500Z"),
            Map.entry("anthropic-ratelimit-tokens-limit", "8000"),
            Map.entry("anthropic-ratelimit-tokens-remaining", "7000"));
    LimitHeaders l = LimitHeaders.parse(h::get, now);
    assertEquals(50, l.limitRequests(), 0);
    assertEquals(49, l.remainingRequests(), 0);
    assertEquals(1_000, l.resetRequestsMillis());
    assertEquals(40_000, l.limitInputTokens(), 0);
    assertEquals(39_000, l.remainingInputTokens(), 0);
    assertEquals(2_000, l.resetInputTokensMillis());
    assertEquals(8_000, l.limitOutputTokens(), 0);
    assertEquals(7_500, l.resetOutputTokensMillis());
    // The tighter-of-both "tokens" header is not a third, combined budget when the separate ones
    // exist.
    assertEquals(-1, l.limitTokens(), 0);
    // Only it (an older answer): read as the combined limit.
    LimitHeaders older =
        LimitHeaders.parse(Map.of("anthropic-ratelimit-tokens-limit", "8000")::get, now);
    assertEquals(8_000, older.limitTokens(), 0);
    // A reset already past is now, an unreadable one unknown.
    assertEquals(
        0,
        LimitHeaders.parse(
                Map.of(
                        "anthropic-ratelimit-requests-limit",
                        "5",
                        "anthropic-ratelimit-requests-reset",
                        "2026-12-06T11:59:00Z")
                    ::get,
                now)
            .resetRequestsMillis());
    assertEquals(
        -1,
        LimitHeaders.parse(
                Map.of(
                        "anthropic-ratelimit-requests-limit",
                        "5",
                        "anthropic-ratelimit-requests-reset",
                        "soon")
                    ::get,
                now)
            .resetRequestsMillis());
  }

  @Test
  public void theClientLearnsAnthropicsThreeLimitsFromTheServedSimulatorAndStaysWithinThem()
      throws Exception {
    // 600 requests/min, 60k input and 15k output tokens/min: the output budget binds (max_tokens
    // 200).
    SimServer.Config provider = SimServer.Config.of(20, 0).withAnthropicLimits(600, 60_000, 15_000);
    try (SimServer server = new SimServer(0, provider)) {
      LlmConfig config =
          LlmConfig.builder(server.baseUrl(), "m").timeoutSeconds(10).maxAttempts(3).build();
      List<String> log = new ArrayList<>();
      try (LlmClient client =
          new LlmClient(
              new OpenAiHttpBackend(config.endpoint(), "m", null, Duration.ofSeconds(10)),
              config,
              Clock.SYSTEM,
              null,
              log::add)) {
        List<CompletableFuture<CallOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          calls.add(
              client.submit(
                  new ChatRequest(
                      "free",
                      List.of(ChatMessage.user("tell me about the sea, " + i)),
                      0.2,
                      200,
                      i,
                      null),
                  AnswerCheck.NONE));
        }
        long ok = 0;
        for (CompletableFuture<CallOutcome> c : calls) {
          ok += c.get().ok() ? 1 : 0;
        }
        assertEquals(60, ok);
        String limits = client.throttle().rateLine();
        Matcher rpm = Pattern.compile("^(\\d+) requests/min").matcher(limits);
        // Learned as 600; each 429 for requests (a send the machine delayed into a burst, at the
        // start)
        // cuts it, by about 9 % when most requests got through.
        double floor = 600 * Math.pow(0.85, server.rateLimited());
        assertThat(
            limits,
            rpm.find()
                && Integer.parseInt(rpm.group(1)) >= floor
                && Integer.parseInt(rpm.group(1)) <= 600);
        assertThat(limits, containsString("60000 input tokens/min"));
        assertThat(limits, containsString("15000 output tokens/min"));
        assertThat(String.join("\n", log), containsString("states its limits"));
        // Output tokens settle to what was generated, so the pace is set by that, not by max_tokens
        // alone.
        assertThat(client.throttle().requestsPerSecondInForce(), greaterThan(0.0));
        assertThat("429s; " + log, server.rateLimited(), lessThanOrEqualTo(3L));
      }
    }
  }
}
