package dev.rolesynth.cli;

import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launch;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Beyond Dialogue through the launcher, both modes, over HTTP against the served simulator, on the
 * DirectRunner and on embedded Flink: every input record (roles and source texts) ends as output or
 * as a dead letter, and the three datasets agree with each other and with the manifest.
 */
public class BeyondDialogueEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String fixture(String name) throws Exception {
    return Path.of(BeyondDialogueEndToEndTest.class.getResource("/beyond/" + name).toURI())
        .toString();
  }

  static <T extends SpecificRecordBase> List<T> avro(Path dir, String dataset, Class<T> type)
      throws Exception {
    AvroRecordCoder.trustGeneratedRecords();
    List<T> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().matches(dataset + "-\\d{5}-of-\\d{5}\\.avro"))
              .toList()) {
        try (DataFileReader<T> r =
            new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(type))) {
          r.forEach(out::add);
        }
      }
    }
    return out;
  }

  static List<JsonNode> lines(Path dir, String prefix) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : jsonlIn(dir, prefix)) {
      out.add(n);
    }
    return out;
  }

  private static List<JsonNode> jsonlIn(Path dir, String prefix) throws Exception {
    Path sub = Files.createTempDirectory("bd-jsonl");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith(prefix + "-")).toList()) {
        Files.copy(f, sub.resolve(f.getFileName()));
      }
    }
    return jsonl(sub);
  }

  /** What every run must satisfy, whatever the mode and runner. */
  static void checkDatasets(DittoEndToEndTest.Run run, SimServer server, int rounds)
      throws Exception {
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    Path out = run.output();
    List<ProfileDialogue> dialogues = avro(out, "dialogues", ProfileDialogue.class);
    List<RolePlaySample> rolePlay = avro(out, "roleplay", RolePlaySample.class);
    List<AlignmentSample> alignment = avro(out, "alignment", AlignmentSample.class);
    assertThat(dialogues.size(), greaterThan(0));
    assertEquals(dialogues.size(), m.at("/datasets/dialogues/avro").asLong());
    assertEquals(2L * dialogues.size(), rolePlay.size());
    assertEquals(rolePlay.size(), m.at("/datasets/roleplay/jsonl.alpaca").asLong());
    assertEquals(rolePlay.size(), m.at("/datasets/roleplay/jsonl.chat").asLong());
    assertEquals(alignment.size(), m.at("/datasets/alignment/jsonl.alpaca").asLong());
    assertThat(alignment.size(), greaterThan(5 * dialogues.size() - 1));
    assertEquals(server.received(), m.at("/llm/requests").asLong());
    // Every answer the server gave is a call's answer or a re-ask after an invalid one.
    assertEquals(server.answered(), m.at("/llm/calls").asLong() + m.at("/llm/repairs").asLong());

    Map<String, ProfileDialogue> byId = new HashMap<>();
    for (ProfileDialogue d : dialogues) {
      byId.put(d.getId(), d);
      // Two people, alternating, partner first and role last.
      for (int i = 0; i < d.getLines().size(); i++) {
        assertEquals(
            i % 2 == 0 ? d.getChatRole() : d.getRoleName(), d.getLines().get(i).getSpeaker());
      }
      if (rounds > 0) {
        assertEquals(2 * rounds, d.getLines().size());
      }
      // Tag answers are subsets of the role's own tags; MBTI letters come from their pairs.
      assertTrue(d.getProfile().getCharacter().containsAll(d.getAligned().getCharacter()));
      assertTrue(d.getProfile().getStyle().containsAll(d.getAligned().getStyle()));
      assertFalse(d.getAligned().getCharacter().isEmpty());
      assertTrue(d.getAligned().getPersonality().matches("[EI][SN][TF][JP]"));
      assertTrue(d.getAligned().getRelationship() >= 0 && d.getAligned().getRelationship() <= 10);
      assertEquals(
          Set.of("character", "style", "emotion", "relationship", "personality"),
          d.getAnalyses().keySet());
      assertEquals("openai-compatible", d.getProvenance().getEndpointKind());
    }
    for (RolePlaySample r : rolePlay) {
      ProfileDialogue d = byId.get(r.getDialogueId());
      int n = d.getLines().size();
      assertEquals(n / 2 - 1, r.getHistory().size());
      assertTrue(r.getOutput().endsWith(d.getLines().get(n - 1).getText()));
      assertTrue(r.getInstruction().endsWith(d.getLines().get(n - 2).getText()));
      List<String> traits =
          r.getVariant().equals("aligned")
              ? d.getAligned().getCharacter()
              : d.getProfile().getCharacter();
      assertTrue(
          r.getSystem(),
          r.getSystem().contains("character traits are " + String.join(", ", traits) + "."));
      assertTrue(r.getSystem().contains("reply to " + d.getChatRole()));
    }
    for (JsonNode a : lines(out, "roleplay.alpaca")) {
      assertEquals(Set.of("instruction", "input", "output", "system", "history"), fields(a));
    }
    for (JsonNode c : lines(out, "roleplay.chat")) {
      JsonNode msgs = c.get("messages");
      assertEquals("system", msgs.get(0).get("role").asText());
      assertEquals("assistant", msgs.get(msgs.size() - 1).get("role").asText());
      assertEquals(1, msgs.size() % 2);
    }
    for (AlignmentSample a : alignment) {
      assertEquals(a.getTask(), MAPPER_FIELDS(a.getAnswer(), a.getTask()));
      // The output is exactly the JSON its instruction asks for: "analysis", then the answer's
      // fields.
      JsonNode output = DittoEndToEndTest.MAPPER.readTree(a.getOutput());
      assertEquals("analysis", output.fieldNames().next());
      assertTrue(a.getInstruction().contains("\"analysis\""));
      JsonNode answer = DittoEndToEndTest.MAPPER.readTree(a.getAnswer());
      answer.fieldNames().forEachRemaining(f -> assertEquals(answer.get(f), output.get(f)));
    }
  }

  /** The alignment answer's JSON keys name its task (the emotion answer has the six emotions). */
  private static String MAPPER_FIELDS(String json, String task) throws Exception {
    JsonNode n = DittoEndToEndTest.MAPPER.readTree(json);
    if (n.size() == 6 && n.has("happiness") && n.has("anger")) {
      return "emotion";
    }
    return n.fieldNames().next();
  }

  private static Set<String> fields(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  /** Every role id and every unreadable line is accounted for by output or a dead letter. */
  static void checkAccounting(
      DittoEndToEndTest.Run run, Set<String> roleIds, Set<String> expectedReasons)
      throws Exception {
    DittoEndToEndTest.assertInputsAddUp(run.manifest());
    Set<String> covered = new HashSet<>();
    avro(run.output(), "dialogues", ProfileDialogue.class).forEach(d -> covered.add(d.getRoleId()));
    List<JsonNode> failures = jsonl(run.output().resolve("failures"));
    Set<String> reasons = new HashSet<>();
    for (JsonNode f : failures) {
      covered.add(f.get("id").asText());
      reasons.add(f.get("reason").asText());
      assertTrue(f.toString(), f.get("detail").asText().length() > 10);
      assertTrue(f.toString(), f.has("file") && f.has("line"));
    }
    assertTrue("uncovered roles: " + roleIds + " vs " + covered, covered.containsAll(roleIds));
    assertTrue("reasons " + reasons, reasons.containsAll(expectedReasons));
    assertEquals(failures.size(), run.manifest().get("failedRecords").asLong());
  }

  private static final Set<String> ROLE_IDS = Set.of("mira", "tobin", "zhu", "vale");

  private static List<String> scratchArgs(SimServer server, String runner) throws Exception {
    return new ArrayList<>(
        List.of(
            "--pipeline=beyond-dialogue",
            "--mode=scratch",
            "--runner=" + runner,
            "--input=" + fixture("roles.jsonl"),
            "--llmEndpoint=" + server.baseUrl(),
            "--llmModel=sim-http",
            "--partnersPerRole=3",
            "--rounds=2",
            "--llmGroups=4",
            "--cacheDir=off"));
  }

  private void scratch(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      List<String> args = scratchArgs(server, runner);
      if (runner.equals("FlinkRunner")) {
        args.add("--parallelism=2");
      }
      var run =
          launch(tmp.getRoot().toPath().resolve("scratch-" + runner), args.toArray(String[]::new));
      checkDatasets(run, server, 2);
      checkAccounting(run, ROLE_IDS, Set.of("malformed_json", "missing_field"));
      List<ProfileDialogue> dialogues = avro(run.output(), "dialogues", ProfileDialogue.class);
      // 4 good roles x 3 partners, each partner made once and distinct within its role.
      assertEquals(12, dialogues.size());
      Map<String, Set<String>> partners = new HashMap<>();
      dialogues.forEach(
          d -> partners.computeIfAbsent(d.getRoleId(), k -> new HashSet<>()).add(d.getChatRole()));
      partners.values().forEach(p -> assertEquals(3, p.size()));
      for (ProfileDialogue d : dialogues) {
        assertEquals("scratch", d.getMode());
        assertTrue(d.getPlanned() != null && d.getSource() == null);
        assertEquals(d.getRoleId().equals("zhu") ? "zh" : "en", d.getLanguage());
      }
      // "vale" had a description only: one profile call filled its slots.
      ProfileDialogue vale =
          dialogues.stream().filter(d -> d.getRoleId().equals("vale")).findFirst().orElseThrow();
      assertThat(vale.getProfile().getCharacter().size(), greaterThan(2));
      // 1 profile + 4 roles x 3 partners x (partner + scene + emotion + intimacy + 4 turns + 5
      // alignments)
      assertEquals(1 + 12 * (4 + 4 + 5), run.manifest().at("/llm/calls").asLong());
      assertEquals(0, run.manifest().at("/llm/failedCalls").asLong());
    }
  }

  @Test
  public void scratchModeOnDirectRunnerThroughHttp() throws Exception {
    scratch("DirectRunner");
  }

  @Test
  public void scratchModeOnEmbeddedFlinkThroughHttp() throws Exception {
    scratch("FlinkRunner");
  }

  private void source(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--pipeline=beyond-dialogue",
                  "--runner=" + runner,
                  "--mode=source",
                  "--input=" + fixture("roles.jsonl"),
                  "--sourceTexts=" + fixture("sources") + "/*",
                  "--llmEndpoint=" + server.baseUrl(),
                  "--llmModel=sim-http",
                  "--chunkScoreSamples=3",
                  "--chunksPerRole=1",
                  "--maxChunkTokens=400",
                  "--llmGroups=4",
                  "--cacheDir=off",
                  "--maxFailureRatio=1"));
      if (runner.equals("FlinkRunner")) {
        args.add("--parallelism=2");
      }
      var run =
          launch(tmp.getRoot().toPath().resolve("source-" + runner), args.toArray(String[]::new));
      assertEquals(run.err(), 0, run.exit());
      checkAccounting(
          run,
          ROLE_IDS,
          Set.of("malformed_json", "missing_field", "no_source_text", "unmatched_source_text"));
      List<JsonNode> failures = jsonl(run.output().resolve("failures"));
      Set<String> noText = new HashSet<>();
      failures.stream()
          .filter(f -> f.get("reason").asText().equals("no_source_text"))
          .forEach(f -> noText.add(f.get("id").asText()));
      assertEquals(Set.of("zhu", "vale"), noText);
      assertThat(
          failures.stream()
              .map(f -> f.get("reason").asText() + "@" + f.get("line").asLong())
              .toList(),
          hasItem("unmatched_source_text@3"));
      // Line 5 names its role by name ("Tobin Marsh"), not id: it is claimed, not an orphan.
      assertThat(
          failures.stream()
              .map(f -> f.get("reason").asText() + "@" + f.get("line").asLong())
              .toList(),
          org.hamcrest.Matchers.not(hasItem("unmatched_source_text@5")));
      // Mira's text has two qualifying chapters; --chunksPerRole=1 keeps one, and its dialogue may
      // be dropped by the coherence or conflict check, but never silently.
      JsonNode m = run.manifest();
      long dialogues = m.at("/datasets/dialogues/avro").asLong();
      long dropped =
          m.at("/failuresByReason/incoherent").asLong()
              + m.at("/failuresByReason/profile_conflict").asLong()
              + m.at("/failuresByReason/unusable_answer").asLong();
      assertEquals(2, dialogues + dropped); // one kept chunk each for mira and tobin
      assertEquals(
          m.at("/filteredRecords").asLong(),
          m.at("/failuresByReason/incoherent").asLong()
              + m.at("/failuresByReason/profile_conflict").asLong());
      if (dialogues > 0) {
        checkDatasets(run, server, 0);
        for (ProfileDialogue d : avro(run.output(), "dialogues", ProfileDialogue.class)) {
          assertEquals("source", d.getMode());
          assertEquals(1, d.getSource().getCoherence());
          assertEquals(0, d.getSource().getConflict());
          assertThat(d.getSource().getChunkScore(), greaterThan(0.99));
        }
      }
    }
  }

  @Test
  public void sourceModeOnDirectRunnerThroughHttp() throws Exception {
    source("DirectRunner");
  }

  @Test
  public void sourceModeOnEmbeddedFlinkThroughHttp() throws Exception {
    source("FlinkRunner");
  }
}
