package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rerun onto a finished output: the same run is a no-op, another run (other options, another
 * pool, reworded prompts) is refused with exit 2 before any request, naming what differs.
 */
public class RerunTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aChangedRunIsRefusedBeforeAnyRequestAndTheSameRunIsANoOp() throws Exception {
    Path pool = tmp.newFile("pool.jsonl").toPath();
    Files.write(pool, RateLimitBench.pool(3));
    try (SimServer server = new SimServer(0, 0, 0)) {
      Path out = tmp.getRoot().toPath().resolve("out");
      String[] base = {
        "--input=" + pool,
        "--queriesPerRole=2",
        "--runner=DirectRunner",
        "--llmEndpoint=" + server.baseUrl(),
        "--llmModel=m",
        "--cacheDir=off"
      };
      DittoEndToEndTest.Run first = DittoEndToEndTest.launch(out, base);
      assertEquals(first.err(), 0, first.exit());
      long paid = server.received();
      assertTrue(paid > 0);
      JsonNode manifest = first.manifest();
      assertEquals(pool.toAbsolutePath().toString(), manifest.at("/input/given").asText());
      assertEquals(64, manifest.at("/input/sha256").asText().length());

      // Options that only say how fast or where the run goes: the same run, nothing to do.
      DittoEndToEndTest.Run same =
          DittoEndToEndTest.launch(
              out,
              with(base, "--maxRequestsPerMinute=600", "--llmGroups=4", "--llmTimeoutSeconds=30"));
      assertEquals(same.err(), 0, same.exit());
      assertThat(same.out(), containsString("already holds this run"));
      assertEquals(manifest.get("runId"), same.manifest().get("runId"));

      // Another option: exit 2, both values named, the two ways out, zero requests.
      String judged = refused(out, with(base, "--judge=true", "--contrastiveRatio=0.5"));
      assertThat(judged, containsString("--judge: finished run false, asked true"));
      assertThat(judged, containsString("--contrastiveRatio: finished run 0.34, asked 0.5"));
      assertThat(judged, containsString("--output="));
      assertThat(judged, containsString("--overwrite=true"));
      assertThat(judged, not(containsString("--maxRequestsPerMinute")));

      // The same pool file with other content.
      Files.write(pool, RateLimitBench.pool(4));
      assertThat(
          refused(out, base),
          containsString(
              "input content (sha256 of its 1 files): finished run '"
                  + manifest.at("/input/sha256").asText()
                  + "'"));

      // A reworded prompt template.
      Path prompts = tmp.newFolder("prompts").toPath();
      Files.writeString(
          prompts.resolve("queries.system.mustache"),
          Files.readString(Path.of("pipelines/ditto/prompts/queries.system.mustache"))
              + "\nBe brief.\n");
      Files.write(pool, RateLimitBench.pool(3));
      assertThat(
          refused(out, with(base, "--promptDir=" + prompts)),
          containsString("prompt template queries.system (sha256)"));
      assertEquals("no request after the first run", paid, server.received());

      // --overwrite=true makes the asked run.
      DittoEndToEndTest.Run replaced =
          DittoEndToEndTest.launch(out, with(base, "--judge=true", "--overwrite=true"));
      assertEquals(replaced.err(), 0, replaced.exit());
      assertTrue(replaced.manifest().at("/config/judge").asBoolean());
    }
  }

  @Test
  public void differencesIgnoreOperationalOptionsAndCompareNumbersByValue() {
    ObjectNode input =
        Manifest.MAPPER
            .createObjectNode()
            .put("given", "/p.jsonl")
            .put("files", 1)
            .put("sha256", "ab");
    ObjectNode config =
        Manifest.MAPPER
            .createObjectNode()
            .put("seed", 42)
            .put("contrastiveRatio", 0.5)
            .put("runId", "a")
            .put("parallelism", 2)
            .put("llmModel", "m");
    ObjectNode finished = RerunCheck.asked("ditto", "1.1.0", input, Map.of("a.user", "h1"), config);
    ObjectNode asked = finished.deepCopy();
    ((ObjectNode) asked.get("config"))
        .put("runId", "b")
        .put("parallelism", 8)
        .put("contrastiveRatio", 0.50);
    assertEquals(List.of(), RerunCheck.differences(finished, asked));
    ((ObjectNode) asked.get("config")).put("llmModel", "gpt-x").put("newOption", true);
    ((ObjectNode) asked.get("promptTemplates")).put("a.user", "h2");
    asked.put("pipelineVersion", "1.2.0");
    assertEquals(
        List.of(
            "pipelineVersion: finished run '1.1.0', asked '1.2.0'",
            "prompt template a.user (sha256): finished run 'h1', asked 'h2'",
            "--llmModel: finished run 'm', asked 'gpt-x'",
            "--newOption: finished run (not set), asked true"),
        RerunCheck.differences(finished, asked).stream().map(Object::toString).toList());
  }

  /** The configuration error (exit 2 from Main) a launch ends with. */
  private static String refused(Path out, String... args) throws Exception {
    try {
      DittoEndToEndTest.Run run = DittoEndToEndTest.launch(out, args);
      throw new AssertionError("expected exit 2, got " + run.exit() + ": " + run.out());
    } catch (dev.rolesynth.ConfigException e) {
      return e.getMessage();
    }
  }

  private static String[] with(String[] base, String... more) {
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
