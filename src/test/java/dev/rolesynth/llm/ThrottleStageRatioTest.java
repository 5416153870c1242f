package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * Prompts are reserved as the provider counts them, stage by stage: a structured stage's estimate
 * includes its answer schema, which the provider does not count, so its ratio is low; a free-text
 * stage's is near one. Mixed into one ratio, stages running side by side under-reserve into 429s.
 */
public class ThrottleStageRatioTest {
  @Test
  public void eachStageIsReservedAtItsOwnRatioOnceOneOfItsPromptsWasCounted() throws Exception {
    Throttle t =
        new Throttle(
            LlmConfig.builder("http://127.0.0.1:9/v1", "m").maxTokensPerMinute(6_000_000).build(),
            Clock.SYSTEM,
            (kind, perMinute) -> new SmoothRateLimiter(perMinute, Clock.SYSTEM),
            line -> {});
    for (int i = 0; i < 20; i++) {
      // The structured stage: estimated 1,000, counted 500.
      t.answered(t.acquire("card", 1_000, 100, 100), new ChatResponse("{}", 500, 10, "stop"));
      // The free-text stage: estimated 1,000, counted 1,000.
      t.answered(t.acquire("answer", 1_000, 100, 100), new ChatResponse("hi", 1_000, 10, "stop"));
    }
    assertEquals(0.5, t.promptRatio("card"), 0.01);
    assertEquals(1.0, t.promptRatio("answer"), 0.01);
    Ticket next = t.acquire("answer", 2_000, 100, 100);
    assertEquals("prompt as counted plus max_tokens", 2_000 + 100, next.tokens(), 20);
    assertEquals(
        "a stage not seen yet takes the ratio of all",
        t.promptRatio(),
        t.promptRatio("other"),
        1e-12);
  }
}
