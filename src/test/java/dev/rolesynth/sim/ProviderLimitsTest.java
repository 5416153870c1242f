package dev.rolesynth.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

/** The served simulator's limits behave as a hosted provider's do, on a clock the test drives. */
public class ProviderLimitsTest {
  private static ProviderLimits limits(double rpm, double tpm, boolean headers, double background) {
    return new ProviderLimits(
        new ProviderLimits.Settings(rpm, tpm, headers, 1.0, background, false, 7), 0);
  }

  @Test
  public void aBucketHoldsAboutOneSecondAndRefillsContinuously() {
    ProviderLimits p = limits(600, 0, true, 0); // 10 a second
    int admitted = 0;
    for (int i = 0; i < 30; i++) {
      admitted += p.arrive(0.0, 0, 0).admitted() ? 1 : 0;
    }
    assertEquals("a minute's budget cannot go in a burst: one second's worth can", 10, admitted);
    ProviderLimits.Decision refused = p.arrive(0.0, 0, 0);
    assertEquals(100, refused.retryAfterMillis());
    assertEquals("100", refused.headers().get("retry-after-ms"));
    assertTrue(p.arrive(0.1, 0, 0).admitted());
  }

  @Test
  public void everyAnswerCarriesTheLimitHeaders() {
    ProviderLimits p = limits(600, 150_000, true, 0);
    ProviderLimits.Decision d = p.arrive(0.0, 1_000, 0);
    assertTrue(d.admitted());
    assertEquals("600", d.headers().get("x-ratelimit-limit-requests"));
    assertEquals("9", d.headers().get("x-ratelimit-remaining-requests"));
    assertEquals("100ms", d.headers().get("x-ratelimit-reset-requests"));
    assertEquals("150000", d.headers().get("x-ratelimit-limit-tokens"));
    assertEquals("1500", d.headers().get("x-ratelimit-remaining-tokens"));
    assertEquals("400ms", d.headers().get("x-ratelimit-reset-tokens"));
  }

  @Test
  public void tokensAreChargedOnArrivalAsPromptPlusMaxTokens() {
    ProviderLimits p = limits(0, 150_000, true, 0); // 2,500 a second, bucket of 2,500
    assertTrue(p.arrive(0.0, 1_300, 0).admitted());
    ProviderLimits.Decision second = p.arrive(0.0, 1_300, 0);
    assertFalse("1,200 left cannot take another 1,300", second.admitted());
    assertEquals(40, second.retryAfterMillis()); // 100 tokens at 2,500 a second
    assertEquals(1_300, p.tokensCharged());
  }

  @Test
  public void withoutHeadersARefusalSaysOnlyRetryAfterInWholeSeconds() {
    ProviderLimits p = limits(600, 0, false, 0);
    assertTrue(p.arrive(0.0, 0, 0).headers().isEmpty());
    for (int i = 0; i < 9; i++) {
      p.arrive(0.0, 0, 0);
    }
    ProviderLimits.Decision refused = p.arrive(0.0, 0, 0);
    assertFalse(refused.admitted());
    assertEquals(Map.of("retry-after", "1"), refused.headers());
  }

  @Test
  public void anotherClientOfTheKeySpendsItsShare() {
    ProviderLimits p = limits(600, 0, true, 1.0 / 3);
    p.arrive(600.0, 0, 0); // ten minutes of the other client alone
    double perMinute = p.backgroundAdmitted() / 10.0;
    assertThat(perMinute, closeTo(200, 20));
  }
}
