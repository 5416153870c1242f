package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.Faults;
import dev.rolesynth.sim.SimServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Exit codes as a scheduler sees them, and the API key nowhere, even when requests fail. */
public class SecretsAndExitCodesTest {
  private static final String KEY = "sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static void assertKeyNowhere(Path root, String log) throws Exception {
    assertFalse("key in the log", log.contains(KEY));
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse("key in " + f, text.contains(KEY));
      }
    }
  }

  @Test
  public void theKeyNeverAppearsEvenWhenTheServerEchoesIt() throws Exception {
    Path pool = tmp.newFile("pool.jsonl").toPath();
    Files.write(pool, RateLimitBench.pool(6));
    // A third of the answers are 5xx whose bodies repeat the Authorization header back.
    Faults echo = new Faults(0.34, 0, 0, 0, 0, 0, 0, 0, true, 3);
    try (SimServer server = new SimServer(0, 0, 0, echo)) {
      Path out = tmp.getRoot().toPath().resolve("out");
      ChildRun run =
          ChildRun.start(
              tmp.getRoot().toPath().resolve("run.log"),
              Map.of("ROLESYNTH_TEST_KEY", KEY),
              "--input=" + pool,
              "--output=" + out,
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=m",
              "--llmApiKeyEnv=ROLESYNTH_TEST_KEY",
              "--llmMaxAttempts=2",
              "--maxFailureRatio=1");
      assertEquals(run.output(), 0, run.waitFor());
      assertThat(
          Files.readString(out.resolve("_manifest.json")), containsString("ROLESYNTH_TEST_KEY"));
      // Some calls failed for good, and their dead letters quote the server: without the key.
      assertThat(
          Files.readString(out.resolve("_manifest.json")), containsString("retries_exhausted"));
      assertKeyNowhere(tmp.getRoot().toPath(), run.output());
    }
  }

  @Test
  public void exitCodesTellSchedulersWhatHappened() throws Exception {
    Path pool = tmp.newFile("pool.jsonl").toPath();
    Files.write(pool, RateLimitBench.pool(3));
    ChildRun ok =
        ChildRun.start(
            tmp.getRoot().toPath().resolve("ok.log"),
            Map.of(),
            "--input=" + pool,
            "--output=" + tmp.getRoot().toPath().resolve("ok"),
            "--queriesPerRole=2");
    assertEquals(ok.output(), 0, ok.waitFor());

    ChildRun config =
        ChildRun.start(
            tmp.getRoot().toPath().resolve("config.log"),
            Map.of(),
            "--input=" + pool,
            "--output=" + tmp.getRoot().toPath().resolve("config"),
            "--llmEndpoint=http://127.0.0.1:9/v1",
            "--llmApiKeyEnv=ROLESYNTH_NOT_SET_ANYWHERE");
    assertEquals(config.output(), 2, config.waitFor());
    assertThat(
        config.output(),
        containsString(
            "configuration error: --llmApiKeyEnv names the environment variable ROLESYNTH_NOT_SET_ANYWHERE"));

    Faults allDown = new Faults(1.0, 0, 0, 0, 0, 0, 0, 0, false, 1);
    try (SimServer server = new SimServer(0, 0, 0, allDown)) {
      Path out = tmp.getRoot().toPath().resolve("failing");
      ChildRun failing =
          ChildRun.start(
              tmp.getRoot().toPath().resolve("failing.log"),
              Map.of(),
              "--input=" + pool,
              "--output=" + out,
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=m",
              "--llmMaxAttempts=2",
              "--cacheDir=off");
      assertEquals(failing.output(), 3, failing.waitFor());
      String manifest = Files.readString(out.resolve("_manifest.json"));
      assertThat(manifest, containsString("\"status\" : \"failed\""));
      assertThat(manifest, containsString("above --maxFailureRatio=0.5"));
      assertThat(manifest, containsString("\"failedRecords\" : 3"));
    }
  }
}
