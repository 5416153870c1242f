package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A paid key kept busy when answers take seconds: the calls in flight follow the limit and the
 * latency (Little's law), not how records are grouped. 9,000 requests a minute with 2 s answers
 * needs 300 calls in flight; the old fixed ceiling held 64.
 */
public class SlowAnswersEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void callsInFlightFollowTheLimitTimesTheLatency() throws Exception {
    Path pool = tmp.newFile("pool.jsonl").toPath();
    Files.write(pool, RateLimitBench.pool(400));
    SimServer.Config provider =
        SimServer.Config.of(2_000, 0).withJitter(500).withLimits(9_000, 0, true, 0);
    try (SimServer server = new SimServer(0, provider)) {
      DittoEndToEndTest.Run run =
          DittoEndToEndTest.launch(
              tmp.getRoot().toPath().resolve("out"),
              "--pipeline=ditto",
              "--input=" + pool,
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=m",
              "--cacheDir=off",
              "--maxRequestsPerMinute=9000");
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      assertEquals(400, m.get("outputRecords").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      assertThat(
          "calls in flight at the provider", server.maxInFlight(), greaterThanOrEqualTo(250));
      assertThat("429s", server.rateLimited(), lessThanOrEqualTo(server.received() / 200));
      // The progress line says why the pace is what it is.
      assertThat(run.err(), containsString(" in flight × "));
    }
  }
}
