package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The provider's reported balance brought to now, less the room kept for the key's other users. */
public class ProviderBalanceTest {
  @Test
  public void aBucketOfManyRequestsKeepsSeventyPercentForTheKeysOtherUsers() {
    // 6,000 requests/min, a bucket of 100 requests, 90 left and nothing sent since: 90 - 70.
    assertEquals(20, ProviderBalance.left(90, 100, 100, 1, 0, 0), 1e-9);
  }

  @Test
  public void aBucketOfAFewRequestsKeepsOnlyWhatItHoldsBeyondTwoOfThem() {
    // 150,000 tokens/min, a 2,500-token bucket, 2,000 left, requests of 1,300 tokens: two need
    // 2,600, so no headroom.
    assertEquals(2_000, ProviderBalance.left(2_000, 200, 2_500, 1_300, 0, 0), 1e-9);
    // 800-token requests: two need 1,600, so 900 of the 2,500 stay untouched.
    assertEquals(1_100, ProviderBalance.left(2_000, 200, 2_500, 800, 0, 0), 1e-9);
    // A bucket of ten requests, or one read a little smaller: 70 % as for any large bucket.
    assertEquals(3, ProviderBalance.left(10, 0, 10, 1, 0, 0), 1e-9);
    assertEquals(9.5 - 0.7 * 9.5, ProviderBalance.left(9.5, 0, 10, 1, 0, 0), 1e-9);
  }

  @Test
  public void subtractsWhatWasSentSinceAddsWhatRefilledAndNeverAsksMoreThanASecondsWait() {
    // 50 left, 30 sent since, 0.1 s refilled 10: 30, less the 70 headroom -> -40.
    assertEquals(-40, ProviderBalance.left(50, 500, 100, 1, 30, 100_000_000L), 1e-9);
    assertEquals(-100, ProviderBalance.left(0, 1_000, 100, 1, 500, 0), 1e-9);
  }
}
