package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A job killed with SIGKILL half way and run again completes with the same records, no duplicates,
 * and at most about one flush window of repeated paid calls.
 */
public class ResumeAfterKillTest {
  private static final int ROLES = 8;
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @ClassRule public static final TemporaryFolder SHARED = new TemporaryFolder();

  /**
   * One uninterrupted run (its own server and cache) that both runners' resumed runs must equal.
   */
  private static Path pool;

  private static Path refOut;
  private static long reference;

  private synchronized void reference() throws Exception {
    if (refOut != null) {
      return;
    }
    pool = SHARED.newFile("pool.jsonl").toPath();
    Files.write(pool, RateLimitBench.pool(ROLES));
    Path out = SHARED.getRoot().toPath().resolve("reference");
    try (SimServer server = new SimServer(0, 20, 0)) {
      var run =
          DittoEndToEndTest.launch(
              out,
              args(
                      pool,
                      out,
                      SHARED.getRoot().toPath().resolve("ref-cache"),
                      server.baseUrl(),
                      "DirectRunner")
                  .toArray(String[]::new));
      assertEquals(0, run.exit());
      reference = server.received();
    }
    refOut = out;
  }

  private List<String> args(Path pool, Path out, Path cache, String url, String runner) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--pipeline=ditto",
                "--runner=" + runner,
                "--input=" + pool,
                "--output=" + out,
                "--cacheDir=" + cache,
                "--llmEndpoint=" + url,
                "--llmModel=sim-http",
                "--judge=true",
                "--seed=5",
                "--runId=resume",
                "--maxRequestsPerMinute=1500",
                "--llmGroups=4"));
    if (runner.equals("FlinkRunner")) {
      a.add("--parallelism=2");
    }
    return a;
  }

  private void resumes(String runner) throws Exception {
    // the same records on every runner (GoldenOutputsTest), so one reference serves both
    reference();

    Path out = tmp.getRoot().toPath().resolve("out");
    Path cache = tmp.getRoot().toPath().resolve("cache");
    try (SimServer server = new SimServer(0, 20, 0)) {
      String[] command = args(pool, out, cache, server.baseUrl(), runner).toArray(String[]::new);
      ChildRun first =
          ChildRun.start(tmp.getRoot().toPath().resolve("first.log"), Map.of(), command);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (server.received() < reference / 2
          && first.process.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(
          "the first run ended before it could be killed:\n" + first.output(),
          first.process.isAlive());
      first.kill();
      long atKill = server.received();
      assertFalse("a killed run must not publish", Files.exists(out.resolve("_manifest.json")));

      ChildRun second =
          ChildRun.start(tmp.getRoot().toPath().resolve("second.log"), Map.of(), command);
      assertEquals(second.output(), 0, second.waitFor());
      long total = server.received();
      JsonNode m = DittoEndToEndTest.MAPPER.readTree(out.resolve("_manifest.json").toFile());
      assertThat(m.at("/llm/cacheHits").asLong(), greaterThan(0L));
      assertEquals(total - atKill, m.at("/llm/requests").asLong());
      // Every call is paid once, plus what was in flight or not yet flushed at the kill: the cache
      // flushes every second, at 25 requests a second, with up to 64 in flight.
      assertThat(total, greaterThanOrEqualTo(reference));
      assertThat(total - reference, lessThanOrEqualTo(25L + 64L));
      // The manifest says how many were paid again: a request's key is recorded just before it
      // goes,
      // so none is missed; one the kill stopped between its record and its sending counts too.
      long repeated = m.at("/llm/repeated").asLong();
      assertThat(repeated, greaterThanOrEqualTo(total - reference));
      assertThat(repeated, lessThanOrEqualTo(total - reference + 5));
    }

    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    DittoEndToEndTest.avro(refOut).forEach(d -> expected.add(d.toString()));
    DittoEndToEndTest.avro(out).forEach(d -> actual.add(d.toString()));
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals("record " + i, expected.get(i), actual.get(i));
    }
    assertEquals(actual.size(), new HashSet<>(actual).size());
    JsonNode m = DittoEndToEndTest.MAPPER.readTree(out.resolve("_manifest.json").toFile());
    assertEquals(ROLES, m.get("outputRecords").asLong() + m.get("failedRecords").asLong());
    assertThat(actual.size(), greaterThanOrEqualTo(ROLES - 1));
    try (var s = Files.list(out)) {
      assertTrue(
          "staging left behind",
          s.noneMatch(p -> p.getFileName().toString().startsWith(".staging")));
    }
  }

  @Test
  public void directRunnerResumesFromTheCache() throws Exception {
    resumes("DirectRunner");
  }

  @Test
  public void flinkRunnerResumesFromTheCache() throws Exception {
    resumes("FlinkRunner");
  }
}
