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
  public void aBucketOfAFewRequestsKeepsOnlyWhatItHoldsBeyondThreeOfThem() {
    // 150,000 tokens/min, a 2,500-token bucket, 2,000 left, requests of 900 tokens: three need
    // 2,700, no headroom.
    assertEquals(2_000, ProviderBalance.left(2_000, 200, 2_500, 900, 0, 0), 1e-9);
    // 500-token requests: three need 1,500, so 1,000 of the 2,500 stay untouched.
    assertEquals(1_000, ProviderBalance.left(2_000, 200, 2_500, 500, 0, 0), 1e-9);
    // A bucket of ten requests: 70 % leaves three, so the headroom is 7 as for any large bucket.
    assertEquals(3, ProviderBalance.left(10, 0, 10, 1, 0, 0), 1e-9);
  }

  @Test
  public void subtractsWhatWasSentSinceAddsWhatRefilledAndNeverAsksMoreThanASecondsWait() {
    // 50 left, 30 sent since, 0.1 s refilled 10: 30, less the 70 headroom -> -40.
    assertEquals(-40, ProviderBalance.left(50, 500, 100, 1, 30, 100_000_000L), 1e-9);
    assertEquals(-100, ProviderBalance.left(0, 1_000, 100, 1, 500, 0), 1e-9);
  }
}
