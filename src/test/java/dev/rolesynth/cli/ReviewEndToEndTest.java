package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A Ditto run on the simulator, then its review: the sample, its strata and charts, the same sample
 * on both runners and whatever the shard count, verdicts read back, and the accepted-only copy.
 */
public class ReviewEndToEndTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** A finished Ditto run with judges and dead letters in {@code dir}, made once per folder. */
  static synchronized Path finishedRun(Path dir) throws Exception {
    Path out = dir.resolve("ditto");
    if (!Files.isRegularFile(out.resolve("_manifest.json"))) {
      Path pool = dir.resolve("pool.jsonl");
      Files.write(
          pool,
          Files.readAllBytes(Path.of(DittoEndToEndTest.pool()))); // holds invalid UTF-8 on purpose
      Files.writeString(
          pool,
          "{\"label\": \"Mallory </script><img src=x onerror=window.pwned=1>\", \"description\": \"a <b>forger</b>\","
              + " \"lang\": \"en\", \"summary\": \"Mallory forged letters in 1900 and sold them in Paris.\"}\n",
          StandardOpenOption.APPEND);
      var r =
          DittoEndToEndTest.launch(
              out,
              "--pipeline=ditto",
              "--runner=DirectRunner",
              "--input=" + pool,
              "--judge=true",
              "--llmGroups=4");
      assertEquals(r.err(), 0, r.exit());
    }
    return out;
  }

  record Result(int exit, String out, String err) {}

  static Result review(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--pipeline=review"));
    all.addAll(List.of(args));
    int exit =
        new Launcher(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(all.toArray(String[]::new));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static List<JsonNode> sample(Path reviewDir) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(reviewDir.resolve("sample.jsonl"))) {
      out.add(MAPPER.readTree(l));
    }
    return out;
  }

  static Set<String> ids(List<JsonNode> sample) {
    Set<String> ids = new TreeSet<>();
    sample.forEach(n -> ids.add(n.path("dataset").asText() + "/" + n.path("id").asText()));
    return ids;
  }

  @Test
  public void theSampleCoversEveryStratumAndTheDeadLettersAndItsCountsAddUp() throws Exception {
    Path runDir = finishedRun(TMP.getRoot().toPath());
    Path reviewDir = TMP.getRoot().toPath().resolve("review-a");
    Result r =
        review(
            "--runner=DirectRunner",
            "--input=" + runDir,
            "--output=" + reviewDir,
            "--sample=2",
            "--seed=5",
            "--format=text");
    assertEquals(r.err(), 0, r.exit());
    JsonNode manifest = MAPPER.readTree(runDir.resolve("_manifest.json").toFile());
    JsonNode stats = MAPPER.readTree(reviewDir.resolve("stats.json").toFile());
    List<JsonNode> sample = sample(reviewDir);
    // Every stratum: min(2, its records) sampled; the strata's records add up to the run's.
    long records = 0;
    for (var ds : (Iterable<Map.Entry<String, JsonNode>>) stats.path("strata")::fields) {
      for (var st : (Iterable<Map.Entry<String, JsonNode>>) ds.getValue()::fields) {
        long n = st.getValue().path("records").asLong();
        assertEquals(
            ds.getKey() + " / " + st.getKey(),
            Math.min(2, n),
            st.getValue().path("sampled").asLong());
        if (ds.getKey().equals("dialogues")) {
          records += n;
        }
      }
    }
    assertEquals(manifest.at("/datasets/dialogues/avro").asLong(), records);
    assertThat(
        "the pool has bad records: dead letters are sampled by reason",
        stats.path("strata").has("dead letters"),
        org.hamcrest.Matchers.is(true));
    long deadLetters = 0;
    for (JsonNode n : stats.at("/strata/dead letters")) {
      deadLetters += n.path("records").asLong();
    }
    assertEquals(
        manifest.path("failedRecords").asLong() + manifest.path("filteredRecords").asLong(),
        deadLetters,
        0.0 + deadLetters);
    // Records read as transcripts with their method's fields; the text output prints them.
    JsonNode first = sample.get(0);
    assertEquals("dialogues", first.path("dataset").asText());
    assertEquals("system", first.at("/transcript/0/role").asText());
    assertThat(
        first.at("/transcript/2/note").asText(),
        org.hamcrest.Matchers.matchesPattern(
            "(IN_KNOWLEDGE|CONTRASTIVE).*(answered|declined); judges: identity .*"));
    assertTrue(first.at("/facts/provenance/simulated").asBoolean());
    assertThat(r.out(), containsString("=== 1. dialogues · " + first.path("stratum").asText()));
    List<String> titles = new ArrayList<>();
    stats.path("charts").forEach(c -> titles.add(c.path("title").asText()));
    assertTrue(
        titles.toString(),
        titles.containsAll(
            List.of(
                "turns per record",
                "length of the answers in tokens",
                "judge verdicts",
                "declined by query type",
                "dead letters by stage and reason",
                "LLM calls (manifest)")));
    String html = Files.readString(reviewDir.resolve("index.html"));
    org.junit.Assert.assertFalse(
        "pool text never reaches the page unescaped", html.contains("<img src=x"));
    org.junit.Assert.assertFalse(
        "nothing is fetched: no external script or style",
        html.matches("(?s).*(<script[^>]+src=|<link[^>]+href=).*"));
    assertTrue(html.contains("Mallory \\u003c/script>"));
  }

  @Test
  public void theSampleIsTheSameOnFlinkAndWithOtherShardsAndChangesWithTheSeed() throws Exception {
    Path runDir = finishedRun(TMP.getRoot().toPath());
    Path root = TMP.getRoot().toPath();
    assertEquals(
        0,
        review(
                "--runner=DirectRunner",
                "--input=" + runDir,
                "--output=" + root.resolve("r-direct"),
                "--sample=3")
            .exit());
    assertEquals(
        0,
        review(
                "--runner=FlinkRunner",
                "--input=" + runDir,
                "--output=" + root.resolve("r-flink"),
                "--sample=3")
            .exit());
    Path resharded = reshard(runDir, root.resolve("resharded"));
    assertEquals(
        0,
        review(
                "--runner=DirectRunner",
                "--input=" + resharded,
                "--output=" + root.resolve("r-one-shard"),
                "--sample=3")
            .exit());
    assertEquals(
        0,
        review(
                "--runner=DirectRunner",
                "--input=" + runDir,
                "--output=" + root.resolve("r-seed"),
                "--sample=3",
                "--seed=9")
            .exit());
    Set<String> direct = ids(sample(root.resolve("r-direct")));
    assertThat(direct.size(), greaterThan(3));
    assertEquals(direct, ids(sample(root.resolve("r-flink"))));
    assertEquals(direct, ids(sample(root.resolve("r-one-shard"))));
    assertNotEquals(direct, ids(sample(root.resolve("r-seed"))));
  }

  /** A copy of a run with all its Avro records in one shard instead of several. */
  static Path reshard(Path runDir, Path copy) throws Exception {
    Files.createDirectories(copy.resolve("failures"));
    List<GenericRecord> records = new ArrayList<>();
    org.apache.avro.Schema schema = null;
    try (Stream<Path> files = Files.list(runDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".avro")) {
          try (DataFileReader<GenericRecord> r =
              new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
            schema = r.getSchema();
            r.forEach(records::add);
          }
        } else if (Files.isRegularFile(f) && !name.startsWith("_")) {
          Files.copy(f, copy.resolve(name));
        }
      }
    }
    try (Stream<Path> files = Files.list(runDir.resolve("failures"))) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve("failures").resolve(f.getFileName()));
      }
    }
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      w.create(schema, copy.resolve("dialogues-00000-of-00001.avro").toFile());
      records.forEach(
          rec -> {
            try {
              w.append(rec);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    var m =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            MAPPER.readTree(runDir.resolve("_manifest.json").toFile());
    var files = m.putArray("files");
    try (Stream<Path> all = Files.walk(copy)) {
      all.filter(Files::isRegularFile)
          .forEach(f -> files.addObject().put("path", copy.relativize(f).toString()));
    }
    Files.writeString(copy.resolve("_manifest.json"), m.toPrettyString());
    return copy;
  }

  @Test
  public void verdictsGiveAcceptancePerStratumAndAnAcceptedOnlyCopyWhoseCountsMatch()
      throws Exception {
    Path runDir = finishedRun(TMP.getRoot().toPath());
    Path reviewDir = TMP.getRoot().toPath().resolve("review-v");
    assertEquals(
        0,
        review("--runner=DirectRunner", "--input=" + runDir, "--output=" + reviewDir, "--sample=4")
            .exit());
    List<JsonNode> sample = sample(reviewDir);
    StringBuilder verdicts = new StringBuilder();
    Set<String> accepted = new TreeSet<>();
    int i = 0;
    for (JsonNode n : sample) {
      if (!n.path("dataset").asText().equals("dialogues")) {
        continue;
      }
      boolean ok = i++ % 3 != 0;
      if (ok) {
        accepted.add(n.path("id").asText());
      }
      verdicts
          .append(
              MAPPER
                  .createObjectNode()
                  .put("dataset", "dialogues")
                  .put("id", n.path("id").asText())
                  .put("stratum", n.path("stratum").asText())
                  .put("verdict", ok ? "accept" : "reject")
                  .put("note", "")
                  .put("reviewer", "test")
                  .put("time", "2026-11-30T12:00:00Z"))
          .append('\n');
    }
    Path file = TMP.getRoot().toPath().resolve("verdicts.jsonl");
    Files.writeString(file, verdicts);
    Result r =
        review(
            "--runner=DirectRunner",
            "--input=" + runDir,
            "--output=" + reviewDir,
            "--sample=4",
            "--verdicts=" + file,
            "--applyVerdicts=true");
    assertEquals(r.err(), 0, r.exit());
    JsonNode summary = MAPPER.readTree(reviewDir.resolve("verdicts-summary.json").toFile());
    assertEquals(accepted.size(), summary.at("/overall/accepted").asInt());
    assertEquals(i, summary.at("/overall/judged").asInt());
    assertThat(r.out(), containsString(accepted.size() + " of " + i + " judged records accepted"));
    Path copy = reviewDir.resolve("accepted");
    JsonNode m = MAPPER.readTree(copy.resolve("_manifest.json").toFile());
    assertEquals(accepted.size(), m.path("outputRecords").asInt());
    assertEquals(accepted.size(), m.at("/datasets/dialogues/jsonl.chat").asInt());
    Set<String> inCopy = new TreeSet<>();
    try (Stream<Path> files = Files.list(copy)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<GenericRecord> rd =
            new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
          rd.forEach(rec -> inCopy.add(rec.get("id").toString()));
        }
      }
    }
    assertEquals(accepted, inCopy);
    assertThat(
        Files.readString(reviewDir.resolve("index.html")), containsString("verdictsSummary"));
  }

  @Test
  public void aFolderThatIsNotAFinishedRunIsAConfigurationError() throws Exception {
    Path empty = TMP.newFolder("not-a-run").toPath();
    Map<String, String> cases = new HashMap<>();
    cases.put("--input=" + empty, "is not a finished run: no _manifest.json");
    cases.put("--input=" + empty.resolve("missing"), "(no such folder)");
    cases.put("--input=", "give the output folder of a finished run");
    for (var c : cases.entrySet()) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      var e =
          org.junit.Assert.assertThrows(
              dev.rolesynth.ConfigException.class,
              () ->
                  new Launcher(new PrintStream(sink), new PrintStream(sink))
                      .run(
                          new String[] {"--pipeline=review", "--runner=DirectRunner", c.getKey()}));
      assertThat(e.getMessage(), containsString(c.getValue()));
    }
    Files.writeString(empty.resolve("_manifest.json"), "{\"status\":\"running\"}");
    var e =
        org.junit.Assert.assertThrows(
            dev.rolesynth.ConfigException.class,
            () -> review("--runner=DirectRunner", "--input=" + empty));
    assertThat(e.getMessage(), containsString("says 'running', neither succeeded nor failed"));
    e =
        org.junit.Assert.assertThrows(
            dev.rolesynth.ConfigException.class,
            () ->
                review(
                    "--runner=DirectRunner",
                    "--input=" + finishedRun(TMP.getRoot().toPath()),
                    "--applyVerdicts=true"));
    assertThat(e.getMessage(), containsString("needs --verdicts"));
  }

  @Test
  public void aFailedRunIsReviewedWithItsReasonAndDeadLettersFirstButNotSignedOff()
      throws Exception {
    Path out = TMP.getRoot().toPath().resolve("failed-run");
    // The mixed pool has unusable lines: with no failure allowed the run publishes, then fails
    // (exit 3).
    var run =
        DittoEndToEndTest.launch(
            out,
            "--pipeline=ditto",
            "--runner=DirectRunner",
            "--input=" + DittoEndToEndTest.pool(),
            "--maxFailureRatio=0",
            "--llmGroups=4",
            "--queriesPerRole=2");
    assertEquals(run.err(), 3, run.exit());
    JsonNode manifest = run.manifest();
    assertEquals("failed", manifest.path("status").asText());
    // A simulated run says so in every rendering's file name, so it cannot pass for model output.
    try (Stream<Path> files = Files.list(out)) {
      List<String> renderings =
          files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jsonl")).toList();
      assertThat(renderings.toString(), renderings.size(), greaterThan(0));
      renderings.forEach(
          f -> assertTrue(f, f.matches("dialogues\\.chat\\.simulated-\\d{5}-of-\\d{5}\\.jsonl")));
    }
    assertTrue(manifest.at("/datasets/dialogues/jsonl.chat").asLong() > 0);

    Path reviewDir = TMP.getRoot().toPath().resolve("review-failed");
    Result r =
        review(
            "--runner=DirectRunner",
            "--input=" + out,
            "--output=" + reviewDir,
            "--sample=3",
            "--format=text");
    assertEquals(r.err(), 0, r.exit());
    assertThat(
        r.err(),
        containsString("holds a FAILED run (" + manifest.path("statusReason").asText() + ")"));
    assertThat(
        r.out(), containsString("*** This run FAILED: " + manifest.path("statusReason").asText()));
    assertThat(r.out(), containsString("*** SIMULATED: every answer"));
    List<JsonNode> sample = sample(reviewDir);
    assertEquals("dead letters", sample.get(0).path("dataset").asText());
    assertEquals("dialogues", sample.get(sample.size() - 1).path("dataset").asText());
    String html = Files.readString(reviewDir.resolve("index.html"));
    assertThat(html, containsString("\"kind\":\"failed\""));
    assertThat(html, containsString("\"kind\":\"simulated\""));

    Path verdicts = TMP.getRoot().toPath().resolve("none.jsonl");
    Files.writeString(verdicts, "");
    var e =
        org.junit.Assert.assertThrows(
            dev.rolesynth.ConfigException.class,
            () ->
                review(
                    "--runner=DirectRunner",
                    "--input=" + out,
                    "--output=" + reviewDir,
                    "--verdicts=" + verdicts,
                    "--applyVerdicts=true"));
    assertThat(e.getMessage(), containsString("cannot be signed off"));
  }
}
