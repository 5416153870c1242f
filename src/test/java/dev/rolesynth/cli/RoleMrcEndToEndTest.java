package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launch;
import static dev.rolesynth.cli.DittoEndToEndTest.launchOverHttp;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * RoleMRC through the launcher, over HTTP against the served simulator (which reads each stage's
 * variables back from the prompt), on the DirectRunner and on embedded Flink: every persona line is
 * records or a dead letter, retrieval pairs each role with the items it should, and the tasks, SFT
 * conversations and DPO pairs have the authors' shapes.
 */
public class RoleMrcEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String fixture(String name) throws Exception {
    return Path.of(RoleMrcEndToEndTest.class.getResource("/rolemrc/" + name).toURI()).toString();
  }

  private void run(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      var run =
          launchOverHttp(
              tmp.getRoot().toPath().resolve(runner),
              server,
              runner,
              "--pipeline=rolemrc",
              "--input=" + fixture("personas.jsonl"),
              "--passages=" + fixture("passages.jsonl"),
              "--llmGroups=4",
              "--taskMix=all");
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      DittoEndToEndTest.assertInputsAddUp(m);
      Path out = run.output();
      // 7 persona lines: a torn line, a blank persona and a second "baker" with other content are
      // dead letters.
      assertEquals(7, m.get("inputRecords").asLong());
      assertEquals(4, m.at("/inputs/output").asLong());
      Set<String> read = new TreeSet<>();
      List<JsonNode> failures = jsonl(out.resolve("failures"));
      failures.forEach(
          f ->
              read.add(
                  f.get("line").asLong()
                      + ":"
                      + f.get("reason").asText()
                      + ":"
                      + f.get("stage").asText()));
      assertEquals(
          Set.of(
              "4:malformed_json:read",
              "5:missing_field:read",
              "6:duplicate_id:read",
              "5:missing_field:passages_read"),
          read);
      assertEquals(
          1, m.at("/inputs/otherInputDeadLetters").asLong()); // the passage without passages

      Map<String, RoleMrcProfile> meta = new HashMap<>();
      avro(out, "meta", RoleMrcProfile.class).forEach(p -> meta.put(p.getId(), p));
      assertEquals(4, meta.size());
      assertEquals(
          "why does sourdough need a starter", meta.get("baker").getMostRelevant().getQuery());
      assertEquals("what causes coral bleaching", meta.get("diver").getMostRelevant().getQuery());
      assertEquals(
          "No Answer Present.",
          meta.values().stream()
              .filter(p -> p.getPersona().contains("avalanche"))
              .findFirst()
              .orElseThrow()
              .getMostRelevant()
              .getAnswer());
      for (RoleMrcProfile p : meta.values()) {
        assertTrue(p.getMostRelevant().getMatchScore() >= p.getLeastRelevant().getMatchScore());
        assertNotEquals(p.getMostRelevant().getItemId(), p.getLeastRelevant().getItemId());
      }
      // 4 profiles, 2 chats and 2 MRC calls each, a ruled rewrite for the 3 whose most relevant
      // item has an answer, and a profile asked again for each role the simulator first named as
      // an earlier one (it names by a hash of the persona: one here). Every name is the role's own.
      assertEquals(4 * 5 + 3 + 1, m.at("/llm/calls").asLong());
      assertEquals(4, meta.values().stream().map(RoleMrcProfile::getName).distinct().count());
      assertEquals(server.received(), m.at("/llm/requests").asLong());

      List<RoleMrcConversation> sft = avro(out, "sft", RoleMrcConversation.class);
      List<RoleMrcPreference> dpo = avro(out, "dpo", RoleMrcPreference.class);
      // every task that fits: 8 for a role whose most relevant item has an answer, 7 for the one
      // whose has none (no nested or priority task; the insisted refusal instead)
      assertEquals(3 * 8 + 7, sft.size());
      // A pair for every task but the chats, and the format rule where the first answer already
      // kept it.
      Map<String, String> sftTasks = new HashMap<>();
      sft.forEach(c -> sftTasks.put(c.getId(), c.getTask()));
      Set<String> unpaired = new HashSet<>(sftTasks.keySet());
      dpo.forEach(p -> assertEquals(sftTasks.get(p.getId()), p.getTask()));
      dpo.forEach(p -> unpaired.remove(p.getId()));
      unpaired.forEach(
          id ->
              assertTrue(
                  id,
                  sftTasks.get(id).contains("dialogue") || sftTasks.get(id).contains("-special-")));
      assertTrue(dpo.size() >= 3 * 5 + 5);
      assertEquals(sft.size(), m.get("outputRecords").asLong());
      Map<String, Set<String>> tasks = new HashMap<>();
      for (RoleMrcConversation c : sft) {
        tasks
            .computeIfAbsent(c.getId().substring(0, c.getId().indexOf('/')), k -> new TreeSet<>())
            .add(
                c.getTask()
                    .replaceAll("(with|no)_narration", "N")
                    .replaceAll("(role|user)_first", "F")
                    .replaceAll("special-(content|format)", "special-R"));
        checkConversation(c);
      }
      assertEquals(
          new TreeSet<>(
              List.of(
                  "role_related_dialogue---F---N---answer",
                  "role_related_mrc_dialogue---F---N---answer",
                  "role_related_mrc_answer_N",
                  "role_unrelated_mrc_refused_N",
                  "role_unrelated_mrc_answer_N",
                  "role_related_mrc_answer_N-special-R",
                  "role_unrelated_mrc_refused_N-2ndanswer",
                  "role_related_mrc_answer_N-refused")),
          tasks.get("baker"));
      String avalanche =
          meta.values().stream()
              .filter(p -> p.getPersona().contains("avalanche"))
              .findFirst()
              .orElseThrow()
              .getId();
      assertEquals(
          new TreeSet<>(
              List.of(
                  "role_related_dialogue---F---N---answer",
                  "role_related_mrc_dialogue---F---N---answer",
                  "role_related_mrc_refused_N",
                  "role_unrelated_mrc_refused_N",
                  "role_unrelated_mrc_answer_N",
                  "role_related_mrc_refused_N-2ndrefused",
                  "role_unrelated_mrc_refused_N-2ndanswer")),
          tasks.get(avalanche));
      // an on-scene chat carries its passages in the system turn: the baker's are about starters
      assertTrue(
          sft.stream()
              .filter(c -> c.getId().startsWith("baker/role_related_mrc_dialogue"))
              .allMatch(c -> c.getConversations().get(0).getContent().contains("[1] ")));
      for (RoleMrcPreference p : dpo) {
        assertNotEquals(p.getChosen(), p.getRejected());
        assertEquals("system", p.getPrompt().get(0).getRole());
        assertEquals("user", p.getPrompt().get(p.getPrompt().size() - 1).getRole());
      }
      // Pool text is data, never a template: the hostile persona's braces and markup pass through.
      assertTrue(
          sft.stream()
              .anyMatch(
                  c ->
                      c.getConversations()
                          .get(0)
                          .getContent()
                          .contains("{{system}} and <script>")));

      for (JsonNode r : lines(out, "sft.rolemrc")) {
        assertEquals("System", r.get("conversations").get(0).get("role").asText());
        assertEquals(sftTasks.get(r.get("id").asText()), r.get("task").asText());
      }
      for (JsonNode r : lines(out, "dpo.trl")) {
        assertEquals("assistant", r.get("chosen").get(0).get("role").asText());
        assertTrue(r.get("prompt").isArray());
      }
      for (JsonNode r : lines(out, "dpo.llamafactory")) {
        assertEquals("human", r.get("conversations").get(0).get("from").asText());
        assertEquals("gpt", r.get("rejected").get("from").asText());
        assertTrue(r.get("system").asText().startsWith("You are "));
      }
      // the authors' trainer indexes the prompt's turns: prompt[0] the system, prompt[1] the user
      for (JsonNode r : lines(out, "dpo.rolemrc")) {
        assertEquals("System", r.at("/prompt/0/role").asText());
        assertTrue(r.at("/prompt/0/content").asText().startsWith("You are "));
        assertEquals("User", r.at("/prompt/1/role").asText());
        assertTrue(r.get("chosen").isTextual() && r.get("rejected").isTextual());
      }
    }
  }

  /**
   * Roles alternate after the system turn; the task id's narration holds for every reply of the
   * role.
   */
  private static void checkConversation(RoleMrcConversation c) {
    List<ChatTurn> t = c.getConversations();
    assertEquals("system", t.get(0).getRole());
    assertEquals("assistant", t.get(t.size() - 1).getRole());
    for (int i = 2; i < t.size(); i++) {
      assertNotEquals(c.getId(), t.get(i - 1).getRole(), t.get(i).getRole());
    }
    boolean narrated = c.getTask().contains("with_narration");
    if (!c.getTask().contains("-2nd")) {
      boolean any =
          t.stream()
              .filter(x -> x.getRole().equals("assistant"))
              .anyMatch(x -> x.getContent().matches("(?s).*\\([^()]{2,80}\\).*"));
      assertEquals(c.getId(), narrated, any);
    }
    if (c.getTask()
        .contains("-special-")) { // the rule is the second sentence, as the judge reads it
      String rule = t.get(0).getContent().split("\\. ")[1];
      assertTrue(rule, rule.startsWith("You must ") || rule.startsWith("You love to "));
    }
    if (c.getTask().endsWith("-2ndrefused") || c.getTask().endsWith("-2ndanswer")) {
      assertEquals(5, t.size());
    }
  }

  /**
   * A bad MRC line is the passage pool's dead letter: --limit's accounting of the personas does not
   * count it.
   */
  @Test
  public void theMrcPoolsDeadLettersStayOutOfThePersonasAccounting() throws Exception {
    var run =
        launch(
            tmp.getRoot().toPath().resolve("limit"),
            "--pipeline=rolemrc",
            "--runner=DirectRunner",
            "--llmEndpoint=sim",
            "--input=" + fixture("personas.jsonl"),
            "--passages=" + fixture("passages.jsonl"),
            "--limit=2",
            "--cacheDir=off");
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    DittoEndToEndTest.assertInputsAddUp(m);
    assertEquals(2, m.at("/inputs/output").asLong());
    assertEquals(5, m.at("/inputs/skippedByLimit").asLong());
    assertEquals(1, m.at("/failuresByStage/passages_read").asLong());
  }

  @Test
  public void directRunnerThroughHttp() throws Exception {
    run("DirectRunner");
  }

  @Test
  public void embeddedFlinkThroughHttp() throws Exception {
    run("FlinkRunner");
  }
}
