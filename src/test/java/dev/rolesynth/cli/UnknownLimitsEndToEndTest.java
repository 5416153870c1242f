package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The user sets no limit; the provider enforces one (a bucket of one second, answering 429) and
 * states it in its headers. The job must learn it from the first answer and stay under it: at most
 * 1 % of requests refused, every record accounted for, on both local runners.
 */
public class UnknownLimitsEndToEndTest {
  private static final double PROVIDER_RPM = 1_200;
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private void staysUnderALimitNobodyConfigured(String runner) throws Exception {
    SimServer.Config provider =
        SimServer.Config.of(20, 0).withJitter(10).withLimits(PROVIDER_RPM, 0, true, 0);
    PrintStream stderr = System.err;
    ByteArrayOutputStream workers = new ByteArrayOutputStream();
    try (SimServer server = new SimServer(0, provider)) {
      System.setErr(
          new PrintStream(workers, true, StandardCharsets.UTF_8)); // the workers' progress lines
      DittoEndToEndTest.Run run;
      try {
        // The shipped sample pool: 22 roles, 176 calls, about 9 s at the provider's limit.
        run =
            DittoEndToEndTest.launch(
                tmp.getRoot().toPath().resolve(runner),
                "--runner=" + runner,
                "--llmEndpoint=" + server.baseUrl(),
                "--llmModel=sim-http",
                "--cacheDir=off");
      } finally {
        System.setErr(stderr);
      }
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      // Learned from the first answer's headers, and said so.
      assertThat(
          workers.toString(StandardCharsets.UTF_8),
          containsString("the provider states its limits in its headers: 1200 requests/min"));
      assertEquals((long) PROVIDER_RPM, m.at("/llm/rateLimit/finalRequestsPerMinute").asLong());
      // The provider was not flooded: at most 1 % of its answers were 429s.
      assertThat(server.received(), greaterThan(100L));
      assertThat((double) server.rateLimited() / server.received(), lessThanOrEqualTo(0.01));
      // Every request the server saw is accounted for, and every input is an output or a dead
      // letter.
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      assertEquals(server.rateLimited(), m.at("/llm/rateLimited").asLong());
      List<JsonNode> failures = DittoEndToEndTest.jsonl(run.output().resolve("failures"));
      Set<String> ids = new HashSet<>();
      DittoEndToEndTest.avro(run.output()).forEach(d -> ids.add(d.getId()));
      failures.forEach(f -> ids.add(f.get("id").asText()));
      assertEquals(m.get("inputRecords").asLong(), ids.size());
      assertEquals(
          m.get("inputRecords").asLong(),
          m.get("outputRecords").asLong() + m.get("failedRecords").asLong());
      failures.forEach(
          f ->
              assertThat(
                  f.get("reason").asText(), org.hamcrest.Matchers.not(containsString("429"))));
    }
  }

  @Test
  public void directRunnerLearnsTheProvidersLimit() throws Exception {
    staysUnderALimitNobodyConfigured("DirectRunner");
  }

  @Test
  public void embeddedFlinkLearnsTheProvidersLimit() throws Exception {
    staysUnderALimitNobodyConfigured("FlinkRunner");
  }
}
