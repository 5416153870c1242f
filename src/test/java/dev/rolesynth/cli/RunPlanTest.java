package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.ConfigException;
import dev.rolesynth.options.RolesynthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Options to the checked plan of a run: nothing written, nothing sent. */
public class RunPlanTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private static final Instant AT = Instant.parse("2026-12-01T02:03:04Z");

  private RunPlan plan(String... args) throws Exception {
    RolesynthOptions o = PipelineOptionsFactory.fromArgs(args).as(RolesynthOptions.class);
    return RunPlan.of(Launcher.PIPELINES.get("ditto"), o, AT);
  }

  @Test
  public void placeholdersDatesIdsAndTheSamplePool() throws Exception {
    Path root = tmp.getRoot().toPath();
    RunPlan p = plan("--output=" + root + "/{pipeline}/{runDate}", "--runDate=2026-11-30");
    assertEquals(root.resolve("ditto/2026-11-30").toString(), p.output().toString());
    assertEquals("2026-11-30", p.runDate());
    assertTrue(p.runId(), p.runId().matches("20261201T020304Z-[0-9a-f]{8}"));
    assertTrue(
        p.input(),
        p.input().endsWith("pipelines/ditto/sample/roles.jsonl")
            && Files.isRegularFile(Path.of(p.input())));
    assertEquals(
        root.resolve("ditto/.rolesynth-cache").toString(),
        p.llm().cacheDir()); // beside the output, shared by its runs
    assertTrue(p.llm().simulated());
    assertEquals(42, p.seed());
    assertTrue(p.version().matches("\\d+\\.\\d+\\.\\d+"));
    // Nothing was written: not the output, not the cache.
    assertTrue(
        !Files.exists(Path.of(p.output().toString()))
            && !Files.exists(Path.of(p.llm().cacheDir())));
  }

  @Test
  public void aFreshNightDrawsItsSeedFromTheDateAndKeepsItsCacheApart() throws Exception {
    String out = "--output=" + tmp.getRoot() + "/night";
    RunPlan a = plan(out, "--nightly=fresh", "--runDate=2026-11-30");
    RunPlan b = plan(out, "--nightly=fresh", "--runDate=2026-12-01");
    assertNotEquals(a.seed(), b.seed());
    assertEquals(42, a.givenSeed());
    assertTrue(a.llm().cacheDir().endsWith("/2026-11-30"));
    assertEquals(a.seed(), plan(out, "--nightly=fresh", "--runDate=2026-11-30").seed());
  }

  @Test
  public void badOptionsAreConfigErrorsNamingTheOption() {
    assertThat(
        assertThrows(ConfigException.class, () -> plan("--runDate=30/11/2026")).getMessage(),
        containsString("--runDate"));
    assertThat(
        assertThrows(ConfigException.class, () -> plan("--nightly=weekly")).getMessage(),
        containsString("--nightly"));
    assertThat(
        assertThrows(ConfigException.class, () -> plan("--input=/no/such/pool.jsonl")).getMessage(),
        containsString("matches no file"));
    assertThat(
        assertThrows(ConfigException.class, () -> plan("--limit=-1")).getMessage(),
        containsString("--limit"));
  }
}
