package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.rolesynth.ConfigException;
import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What a scheduled night needs: a failed night is not green on retry, and a bad key stops early.
 */
public class NightlyOperationsTest {
  private static final String KEY = "sk-night-0123456789";
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Twelve roles, a third of the lines malformed. */
  private Path poolWithBadLines() throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> good = RateLimitBench.pool(8);
    for (int i = 0; i < good.size(); i++) {
      lines.add(good.get(i));
      if (i % 2 == 1) {
        lines.add("{\"id\": \"torn-" + i + "\", \"name\": ");
      }
    }
    Path pool = tmp.newFile("pool.jsonl").toPath();
    Files.write(pool, lines);
    return pool;
  }

  @Test
  public void aFailedNightIsRunAgainOnRetryAndExitsWithItsOwnStatus() throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      Path out = tmp.getRoot().toPath().resolve("night");
      String[] args = {
        "--input=" + poolWithBadLines(),
        "--llmEndpoint=" + server.baseUrl(),
        "--llmModel=m",
        "--maxFailureRatio=0.1",
        "--queriesPerRole=2",
        "--runner=DirectRunner"
      };
      var first = DittoEndToEndTest.launch(out, args);
      assertEquals(ExitCodes.TOO_MANY_FAILURES, first.exit());
      assertEquals("failed", first.manifest().get("status").asText());
      long paid = server.received();

      // The retry a CronJob or cron makes: not "nothing to do", but the run again, from the cache.
      var retry = DittoEndToEndTest.launch(out, args);
      assertEquals(ExitCodes.TOO_MANY_FAILURES, retry.exit());
      assertThat(retry.err(), containsString("holds a failed run: running again"));
      assertThat(retry.out(), not(containsString("nothing to do")));
      assertEquals("every answer came from the cache", paid, server.received());
      assertThat(retry.manifest().at("/llm/cacheHits").asLong(), greaterThan(0L));

      // Fixed (here: a ratio the night can meet): the rerun replaces the failed output and
      // succeeds.
      List<String> fixed = new ArrayList<>(List.of(args));
      fixed.set(3, "--maxFailureRatio=0.5");
      var ok = DittoEndToEndTest.launch(out, fixed.toArray(String[]::new));
      assertEquals(ok.err(), 0, ok.exit());
      assertEquals("succeeded", ok.manifest().get("status").asText());
      assertEquals(8, DittoEndToEndTest.avro(out).size());
      // Only now is it finished: a further retry is a no-op.
      var again = DittoEndToEndTest.launch(out, fixed.toArray(String[]::new));
      assertEquals(0, again.exit());
      assertThat(again.out(), containsString("nothing to do"));
    }
  }

  @Test
  public void aPartlyPublishedOutputIsRunAgain() throws Exception {
    Path out = tmp.getRoot().toPath().resolve("partial");
    Files.createDirectories(out);
    Files.writeString(out.resolve("dialogues-00000-of-00002.avro"), "half a run");
    var run = DittoEndToEndTest.launch(out, "--limit=2", "--runner=DirectRunner");
    assertEquals(run.err(), 0, run.exit());
    assertThat(run.err(), containsString("holds a partly published run"));
    assertEquals(2, DittoEndToEndTest.avro(out).size());
  }

  private String fails(Path out, String... args) {
    return assertThrows(ConfigException.class, () -> DittoEndToEndTest.launch(out, args))
        .getMessage();
  }

  @Test
  public void aWrongKeyOrModelIsFoundBeforeTheFirstPaidRecord() throws Exception {
    Path wrong = tmp.newFile("wrong-key").toPath();
    Files.writeString(wrong, "sk-revoked-key");
    Path right = tmp.newFile("right-key").toPath();
    Files.writeString(right, KEY);
    try (SimServer server =
        new SimServer(0, SimServer.Config.of(0, 0).withKey(KEY, "served-model"))) {
      Path out = tmp.getRoot().toPath().resolve("out");
      String url = "--llmEndpoint=" + server.baseUrl();
      String message = fails(out, url, "--llmModel=served-model", "--llmApiKeyFile=" + wrong);
      assertThat(message, containsString("refused the API key (HTTP 401)"));
      assertThat(message, containsString("check the key in the file " + wrong));
      assertThat(message, not(containsString("sk-revoked-key")));
      assertThat(fails(out, url, "--llmModel=served-model"), containsString("no key was given"));
      assertThat(
          fails(out, url, "--llmModel=other-model", "--llmApiKeyFile=" + right),
          containsString(
              "does not serve the model 'other-model' (--llmModel); it serves served-model"));
      assertEquals("no record was sent", 0, server.answered());
      var run =
          DittoEndToEndTest.launch(
              out, url, "--llmModel=served-model", "--llmApiKeyFile=" + right, "--limit=2");
      assertEquals(run.err(), 0, run.exit());
    }
  }

  @Test
  public void aKeyRevokedDuringTheRunStopsItInsteadOfDeadLetteringThePool() throws Exception {
    Path right = tmp.newFile("key").toPath();
    Files.writeString(right, KEY);
    try (SimServer server = new SimServer(0, SimServer.Config.of(5, 0).withKey(KEY, "m"))) {
      server.revokeKeyAfter(30);
      Path out = tmp.getRoot().toPath().resolve("revoked");
      String message =
          fails(
              out,
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=m",
              "--llmApiKeyFile=" + right,
              "--runner=DirectRunner",
              "--maxConcurrentRequests=4",
              "--cacheDir=off");
      assertThat(message, containsString("refused the API key for several calls in a row"));
      assertThat(message, containsString("check the key in the file " + right));
      // 176 calls in the sample pool; it stopped after a handful of refusals, not after 146.
      assertThat(server.authRefused(), lessThan(40L));
      assertEquals("nothing was published", false, Files.exists(out.resolve(Manifest.FILE)));
    }
  }
}
