package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What a user sees on the console: a quiet default run and a help that lists what they set. */
public class ConsoleTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aDefaultRunPrintsNoWarningsAndOneFinalProgressLineAtOneHundredPercent()
      throws Exception {
    Path out = tmp.getRoot().toPath().resolve("ditto");
    // As Main runs for a user: embedded Flink, the shipped sample, the built-in simulator.
    ChildRun run =
        ChildRun.start(
            tmp.getRoot().toPath().resolve("run.log"),
            Map.of(),
            "--pipeline=ditto",
            "--limit=3",
            "--output=" + out);
    assertEquals(run.output(), 0, run.waitFor());
    List<String> lines = run.output().lines().toList();
    assertEquals(
        run.output(),
        List.of(),
        lines.stream().filter(l -> l.contains(" WARN ") || l.contains("WARNING")).toList());
    List<String> progress =
        lines.stream().filter(l -> l.startsWith("rolesynth: progress")).toList();
    assertThat(run.output(), progress.get(progress.size() - 1), containsString("(100%)"));
    assertEquals(run.output(), 1, progress.stream().filter(l -> l.contains("(100%)")).count());
    assertEquals(
        run.output(),
        List.of(),
        progress.stream().filter(l -> l.contains(".0 calls/min")).toList());
  }

  @Test
  public void helpListsThePipelinesOptionsAndTheRunnerOptionsTheDocsUse() throws Exception {
    String help = help("--pipeline=ditto", "--help");
    for (String option :
        List.of(
            "--queriesPerRole=<int>",
            "--judge=<boolean>",
            "--input=<String>",
            "--flinkMaster=<String>",
            "--parallelism=<int>",
            "--endpoint=<String>",
            "--maxRequestsPerMinute=<double>")) {
      assertThat(option, help, containsString(option));
    }
    assertThat(help, containsString("FlinkRunner (default: embedded Flink"));
    assertThat(help, containsString("Beam's and its runners' other options: --help=all"));
    assertThat(help, not(containsString("--gbek")));
    assertThat(help, not(containsString("--stableUniqueNames")));
    assertThat(help, not(containsString("Default: DirectRunner")));
    assertThat(help("--pipeline=ditto", "--help=all"), containsString("--stableUniqueNames"));
    String review = help("--pipeline=review", "--help");
    assertThat(review, containsString("Options of review:"));
    assertThat(review, containsString("--sample=<int>"));
  }

  private static String help(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(
        0,
        new Launcher(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(args));
    return out.toString(StandardCharsets.UTF_8);
  }
}
