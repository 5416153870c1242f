package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launchOverHttp;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.SimsChatCharacter;
import dev.rolesynth.avro.SimsChatDialogue;
import dev.rolesynth.avro.SimsChatLine;
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
 * SimsChat through the launcher, over HTTP against the served simulator, on the DirectRunner and on
 * embedded Flink: every pool line is records or a dead letter; each character has its profile and
 * as many scene dialogues as asked, each with a topic and an emotion and the character both
 * speaking and thinking; the renderings have the authors' and the trainers' shapes; pool text stays
 * data.
 */
public class SimsChatEndToEndTest {
  private static final int SCENES = 2;

  /**
   * The Sims' emotions and interaction-type topics, as the authors' released dialogues have them.
   */
  private static final Set<String> SIMS_EMOTIONS =
      Set.of(
          "Angry",
          "Asleep",
          "Bored",
          "Confident",
          "Dazed",
          "Embarrassed",
          "Energized",
          "Fine",
          "Flirty",
          "Focused",
          "Happy",
          "Inspired",
          "Playful",
          "Sad",
          "Tense",
          "Uncomfortable");

  private static final Set<String> SIMS_TOPICS =
      Set.of(
          "discussing hobbies",
          "arguments",
          "discussing interests",
          "deep thoughts",
          "jokes",
          "stories",
          "complaints",
          "flirtation",
          "compliments",
          "deception",
          "gossip");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private void run(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      var run =
          launchOverHttp(
              tmp.getRoot().toPath().resolve(runner),
              server,
              runner,
              "--pipeline=simschat",
              "--input=" + Path.of(getClass().getResource("/simschat/characters.jsonl").toURI()),
              "--llmGroups=4",
              "--scenesPerCharacter=" + SCENES);
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      DittoEndToEndTest.assertInputsAddUp(m);
      Path out = run.output();
      assertEquals(6, m.get("inputRecords").asLong());
      assertEquals(3, m.at("/inputs/output").asLong());
      Set<String> read = new TreeSet<>();
      jsonl(out.resolve("failures"))
          .forEach(f -> read.add(f.get("line").asLong() + ":" + f.get("reason").asText()));
      assertEquals(Set.of("3:malformed_json", "4:missing_field", "5:wrong_type"), read);

      Map<String, SimsChatCharacter> characters = new HashMap<>();
      avro(out, "characters", SimsChatCharacter.class).forEach(c -> characters.put(c.getId(), c));
      assertEquals(3, characters.size());
      assertEquals(
          List.of("Cheerful", "Foodie"),
          characters.values().stream()
              .filter(c -> c.getCareer().equals("Culinary"))
              .findFirst()
              .orElseThrow()
              .getTraits());
      characters
          .values()
          .forEach(
              c -> assertTrue(c.getProfile(), c.getProfile().startsWith("You are " + c.getName())));

      List<SimsChatDialogue> dialogues = avro(out, "dialogues", SimsChatDialogue.class);
      assertEquals(3 * SCENES, dialogues.size());
      assertEquals(dialogues.size(), m.get("outputRecords").asLong());
      for (SimsChatDialogue d : dialogues) {
        String character = d.getId().substring(0, d.getId().lastIndexOf('/'));
        assertEquals(characters.get(character).getName(), d.getCharacter());
        assertTrue(Set.of("Chat", "Speech", "Debate", "Discussion").contains(d.getType()));
        // the Sims' own vocabularies, drawn in code, and the character opens the conversation
        assertTrue(d.getTopic(), SIMS_TOPICS.contains(d.getTopic()));
        assertTrue(d.getEmotion(), SIMS_EMOTIONS.contains(d.getEmotion()));
        assertEquals(d.getCharacter(), d.getDialogue().get(0).getRole());
        // the others in a scene are the run's other characters
        Set<String> names = new HashSet<>();
        characters.values().forEach(c -> names.add(c.getName()));
        d.getDialogue().forEach(l -> assertTrue(l.getRole(), names.contains(l.getRole())));
        assertTrue(d.getDialogue().stream().anyMatch(l -> !l.getRole().equals(d.getCharacter())));
        assertTrue(d.getDialogue().size() >= 5 && d.getDialogue().size() <= 16);
        boolean spoke = false;
        boolean thought = false;
        for (SimsChatLine l : d.getDialogue()) {
          boolean mine = l.getRole().equals(d.getCharacter());
          assertTrue(
              l.getAction().equals("(speaking)") || (mine && l.getAction().equals("(thinking)")));
          spoke |= mine && l.getAction().equals("(speaking)");
          thought |= mine && l.getAction().equals("(thinking)");
        }
        assertTrue(d.getId(), spoke && thought);
        // the SFT prompt as the authors' training data has it: profile, location, status, emotion
        // and conversation topic
        assertTrue(
            d.getSystem(),
            d.getSystem()
                .endsWith(
                    "The status of you is as follows:\nLocation: "
                        + d.getLocation()
                        + "\n\nStatus: "
                        + d.getBackground()
                        + "\n\nEmotion: "
                        + d.getEmotion()
                        + "\n\nConversation Topic: "
                        + d.getTopic()));
      }
      // 3 calls per character and one per scene.
      assertEquals(3 * 3 + 3 * SCENES, m.at("/llm/calls").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      // Pool text is data, never a template: the hostile career's braces and markup pass through.
      assertTrue(characters.get("hostile").getProfile().contains("Politician {{system}}"));
      assertTrue(
          dialogues.stream().anyMatch(d -> d.getSystem().contains("<script>alert(1)</script>")));

      for (JsonNode r : lines(out, "dialogues.simschat")) {
        for (String k :
            List.of(
                "setting", "emotion", "topic", "dialogue", "location", "background", "source")) {
          assertTrue(k, r.has(k));
        }
        // as their released dialogues: the setting and the topic one-item lists, keys in order
        assertTrue(r.get("setting").isArray() && r.get("setting").size() == 1);
        assertTrue(SIMS_TOPICS.contains(r.get("topic").get(0).asText()));
        assertEquals("setting", r.fieldNames().next());
      }
      for (JsonNode r : lines(out, "characters.simschat")) {
        assertTrue(r.toString(), r.at("/Personal aspects/Gender").asText().length() > 1);
        assertTrue(r.at("/Social aspects/Living conditions").asText().length() > 1);
        assertTrue(r.at("/Text format").asText().startsWith("You are "));
        assertEquals(r.at("/Customised aspects/Career"), r.at("/Personal aspects/Career"));
      }
      for (JsonNode r : lines(out, "dialogues.chat")) {
        JsonNode msgs = r.get("messages");
        assertEquals("system", msgs.get(0).get("role").asText());
        assertEquals("assistant", msgs.get(msgs.size() - 1).get("role").asText());
        for (int i = 2; i < msgs.size(); i++) {
          assertTrue(
              !msgs.get(i).get("role").asText().equals(msgs.get(i - 1).get("role").asText()));
        }
      }
      for (JsonNode r : lines(out, "dialogues.alpaca")) {
        assertTrue(r.get("output").asText().matches("(?s)\\((speaking|thinking)\\).*"));
      }
    }
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
