package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The whole Ditto job through the launcher, over HTTP against the served simulator, on the
 * DirectRunner and on embedded Flink: counts, schema, accounting and the manifest's figures.
 */
public class DittoEndToEndTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String pool() throws Exception {
    return Path.of(DittoEndToEndTest.class.getResource("/pools/mixed.jsonl").toURI()).toString();
  }

  record Run(int exit, String out, String err, Path output) {
    JsonNode manifest() throws Exception {
      return MAPPER.readTree(output.resolve("_manifest.json").toFile());
    }
  }

  static Run launch(Path output, String... args) throws Exception {
    return launchAt(output.toString(), args);
  }

  /**
   * A run on {@code runner} against the served simulator over HTTP (on embedded Flink with two
   * workers).
   */
  static Run launchOverHttp(
      Path output, dev.rolesynth.sim.SimServer server, String runner, String... args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--runner=" + runner,
            "--llmEndpoint=" + server.baseUrl(),
            "--llmModel=sim-http",
            "--cacheDir=off"));
    if (runner.equals("FlinkRunner")) {
      all.add("--parallelism=2");
    }
    return launch(output, all.toArray(String[]::new));
  }

  /**
   * A run onto any output folder (hdfs://, s3://...); its {@code output()} is null unless local.
   */
  static Run launchAt(String output, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--output=" + output));
    all.addAll(List.of(args));
    int exit =
        new Launcher(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(all.toArray(String[]::new));
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        output.contains("://") ? null : Path.of(output));
  }

  static List<DittoDialogue> avro(Path output) throws Exception {
    AvroRecordCoder.trustGeneratedRecords();
    List<DittoDialogue> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<DittoDialogue> r =
            new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(DittoDialogue.class))) {
          r.forEach(out::add);
        }
      }
    }
    return out;
  }

  static List<JsonNode> jsonl(Path dir) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            out.add(MAPPER.readTree(line));
          }
        }
      }
    }
    return out;
  }

  /**
   * The same sum in every pipeline: each input record counted once as output, failed or filtered
   * (or skipped by --limit or as published), none unaccounted.
   */
  static void assertInputsAddUp(JsonNode m) {
    JsonNode in = m.get("inputs");
    assertEquals(m.get("inputRecords").asLong(), in.get("records").asLong());
    assertEquals(in.toString(), 0, in.get("unaccounted").asLong());
    assertEquals(
        in.toString(),
        in.get("records").asLong(),
        in.get("output").asLong()
            + in.get("failed").asLong()
            + in.get("filtered").asLong()
            + in.get("skippedByLimit").asLong()
            + in.get("skippedAsPublished").asLong());
  }

  /** Checks what every successful run over mixed.jsonl must satisfy, whatever the runner. */
  static void checkRun(Run run, SimServer server, String runner) throws Exception {
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    assertInputsAddUp(m);
    assertEquals(6, m.at("/inputs/output").asLong());
    assertEquals(6, m.at("/inputs/failed").asLong());
    assertEquals("ditto", m.get("pipeline").asText());
    assertEquals(runner, m.get("runner").asText());
    // 13 lines, one blank: 12 records, of which 6 are bad or duplicated.
    assertEquals(12, m.get("inputRecords").asLong());
    assertEquals(6, m.get("outputRecords").asLong());
    assertEquals(6, m.get("failedRecords").asLong());
    assertEquals(
        m.get("inputRecords").asLong(),
        m.get("outputRecords").asLong() + m.get("failedRecords").asLong());
    assertEquals(6, m.get("jsonlRecords").asLong());
    assertEquals(server.received(), m.at("/llm/requests").asLong());
    assertEquals(server.rateLimited(), m.at("/llm/rateLimited").asLong());
    assertThat(m.at("/llm/promptTokens").asLong(), greaterThan(1000L));
    assertThat(m.at("/llm/completionTokens").asLong(), greaterThan(100L));
    assertEquals(server.baseUrl(), m.at("/llm/endpoint").asText());
    assertEquals("openai-compatible", m.at("/llm/endpointKind").asText());
    assertEquals(11, m.get("promptTemplates").size());
    assertTrue(m.at("/config/judge").asBoolean());
    assertTrue(Instant(m.get("startedAt")) <= Instant(m.get("finishedAt")));

    List<DittoDialogue> dialogues = avro(run.output());
    Set<String> ids = new HashSet<>();
    dialogues.forEach(d -> ids.add(d.getId()));
    assertEquals(
        Set.of(
            "nemo",
            "mulan",
            "mira",
            "tesla",
            "r-" + dev.rolesynth.pool.RoleMapperAccess.hash("Ada Lovelace"),
            "r-" + dev.rolesynth.pool.RoleMapperAccess.hash("Odysseus")),
        ids);
    for (DittoDialogue d : dialogues) {
      assertEquals("openai-compatible", d.getProvenance().getEndpointKind());
      assertEquals(false, d.getProvenance().getSimulated());
      assertEquals(m.get("runId").asText(), d.getProvenance().getRunId());
      assertEquals(6, d.getTurns().size() + d.getDroppedTurns());
    }
    List<JsonNode> lines = jsonl(run.output());
    assertEquals(6, lines.size());
    for (JsonNode line : lines) {
      assertEquals(1, line.size()); // exactly {"messages": [...]}
      assertEquals("system", line.at("/messages/0/role").asText());
      assertEquals("user", line.at("/messages/1/role").asText());
      assertEquals("assistant", line.at("/messages/2/role").asText());
    }
    List<JsonNode> failures = jsonl(run.output().resolve("failures"));
    Set<String> reasons = new HashSet<>();
    for (JsonNode f : failures) {
      reasons.add(f.get("line").asLong() + ":" + f.get("reason").asText());
      assertEquals(pool(), f.get("file").asText());
    }
    assertEquals(
        Set.of(
            "4:malformed_json",
            "5:missing_field",
            "6:wrong_type",
            "9:duplicate_id",
            "11:not_an_object",
            "12:invalid_utf8"),
        reasons);
  }

  private static long Instant(JsonNode n) {
    return Instant.parse(n.asText()).toEpochMilli();
  }

  @Test
  public void directRunnerThroughHttp() throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      Run run =
          launch(
              tmp.getRoot().toPath().resolve("out"),
              "--pipeline=ditto",
              "--runner=DirectRunner",
              "--input=" + pool(),
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=sim-http",
              "--judge=true",
              "--llmGroups=4");
      checkRun(run, server, "DirectRunner");
      assertThat(
          run.out(),
          containsString(
              "12 input records -> 6 output, 6 failed, 0 filtered (6 dialogues records, 6 in all datasets)"));
      assertThat(run.err(), not(containsString("NOTICE: --llmEndpoint=sim")));
    }
  }

  @Test
  public void embeddedFlinkRunnerThroughHttp() throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      Run run =
          launch(
              tmp.getRoot().toPath().resolve("out"),
              "--pipeline=ditto",
              "--runner=FlinkRunner",
              "--parallelism=2",
              "--input=" + pool(),
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=sim-http",
              "--judge=true",
              "--llmGroups=4");
      checkRun(run, server, "FlinkRunner");
    }
  }

  @Test
  public void sameSeedSameRecordsAcrossRunners() throws Exception {
    Path direct = tmp.getRoot().toPath().resolve("direct");
    Path flink = tmp.getRoot().toPath().resolve("flink");
    assertEquals(
        0, launch(direct, "--runner=DirectRunner", "--input=" + pool(), "--runId=same").exit());
    assertEquals(
        0,
        launch(
                flink,
                "--runner=FlinkRunner",
                "--parallelism=2",
                "--input=" + pool(),
                "--runId=same")
            .exit());
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    avro(direct).forEach(d -> a.add(d.toString()));
    avro(flink).forEach(d -> b.add(d.toString()));
    a.sort(null);
    b.sort(null);
    assertEquals(a, b);
  }

  @Test
  public void rateLimitedServerAnswers429sAndTheJobStillCompletesAndCountsThem() throws Exception {
    // 240 requests a minute (four a second), no client-side limit and no limit headers (only
    // retry-after on a 429): the client must learn from 429s alone.
    try (SimServer server =
        new SimServer(0, SimServer.Config.of(0, 0).withLimits(240, 0, false, 0))) {
      Run run =
          launch(
              tmp.getRoot().toPath().resolve("out"),
              "--runner=DirectRunner",
              "--input=" + pool(),
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=sim-http",
              "--queriesPerRole=2",
              "--contrastiveRatio=0.5",
              "--maxConcurrentRequests=8");
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      assertEquals(6, m.get("outputRecords").asLong());
      assertThat(server.rateLimited(), greaterThan(0L));
      assertEquals(server.rateLimited(), m.at("/llm/rateLimited").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      assertEquals(server.answered(), m.at("/llm/calls").asLong());
      assertEquals(0, m.at("/llm/failedCalls").asLong());
    }
  }

  @Test
  public void simulatedDefaultRunIsMarkedAndNoticed() throws Exception {
    Run run = launch(tmp.getRoot().toPath().resolve("sim"), "--limit=3");
    assertEquals(run.err(), 0, run.exit());
    assertThat(run.err(), containsString("NOTICE: --llmEndpoint=sim"));
    JsonNode m = run.manifest();
    assertEquals(22, m.get("inputRecords").asLong()); // the shipped sample pool
    assertEquals(3, m.get("outputRecords").asLong());
    assertEquals(19, m.get("skippedByLimit").asLong());
    assertTrue(m.at("/llm/simulated").asBoolean());
    avro(run.output()).forEach(d -> assertTrue(d.getProvenance().getSimulated()));
    // A second run onto a finished output is a no-op unless --overwrite is given.
    Run again = launch(run.output(), "--limit=3");
    assertEquals(0, again.exit());
    assertThat(again.out(), containsString("already holds this run"));
    assertEquals(m.get("runId"), again.manifest().get("runId"));
    Run replaced = launch(run.output(), "--limit=2", "--overwrite=true");
    assertEquals(0, replaced.exit());
    assertEquals(2, replaced.manifest().get("outputRecords").asLong());
    assertEquals(2, avro(run.output()).size());
  }

  @Test
  public void yamlConfigSetsOptionsAndTheCommandLineWins() throws Exception {
    Path config = tmp.newFile("run.yaml").toPath();
    Files.writeString(
        config, "pipeline: ditto\nlimit: 4\nqueriesPerRole: 2\ncontrastiveRatio: 0.5\nseed: 9\n");
    Run run = launch(tmp.getRoot().toPath().resolve("cfg"), "--config=" + config, "--limit=2");
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    assertEquals(2, m.get("outputRecords").asLong());
    assertEquals(2, m.at("/config/queriesPerRole").asInt());
    assertEquals(9, m.at("/config/seed").asLong());
    // Two questions per role from the file (the default asks more); the method's contrast check may
    // drop one.
    var turns = avro(run.output()).stream().map(d -> d.getTurns().size()).toList();
    assertTrue(
        turns.toString(), turns.stream().allMatch(t -> t >= 1 && t <= 2) && turns.contains(2));
  }
}
