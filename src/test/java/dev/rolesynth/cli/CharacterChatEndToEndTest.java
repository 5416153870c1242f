package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launchOverHttp;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatProfile;
import dev.rolesynth.avro.CharacterChatUtterance;
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
 * CharacterChat through the launcher, over HTTP against the served simulator, on the DirectRunner
 * and on embedded Flink: every pool line is records or a dead letter; profiles have the sixteen
 * fields in three forms; each seeker meets its own supporters; dialogues alternate from the seeker,
 * the seeker's second utterance is about their worry, each seeker utterance has its sentiment, and
 * the stop rule or the limit ends every dialogue; the renderings have the authors' and the
 * trainers' shapes.
 */
public class CharacterChatEndToEndTest {
  private static final int MAX = 13;
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private void run(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      var run =
          launchOverHttp(
              tmp.getRoot().toPath().resolve(runner),
              server,
              runner,
              "--pipeline=characterchat",
              "--input=" + Path.of(getClass().getResource("/characterchat/mbti.jsonl").toURI()),
              "--llmGroups=4",
              "--maxUtterances=" + MAX,
              "--supportersPerSeeker=2",
              "--maxRequestsPerMinute=6000");
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      DittoEndToEndTest.assertInputsAddUp(m);
      Path out = run.output();
      assertEquals(7, m.get("inputRecords").asLong());
      assertEquals(4, m.at("/inputs/output").asLong());
      Set<String> read = new TreeSet<>();
      jsonl(out.resolve("failures"))
          .forEach(f -> read.add(f.get("line").asLong() + ":" + f.get("reason").asText()));
      assertEquals(Set.of("4:malformed_json", "5:bad_value", "6:wrong_type"), read);

      Map<String, CharacterChatProfile> people = new HashMap<>();
      avro(out, "profiles", CharacterChatProfile.class).forEach(p -> people.put(p.getId(), p));
      assertEquals(Set.of("INFP-1", "ESTJ-1", "debater-1", "ISFJ-1"), people.keySet());
      for (CharacterChatProfile p : people.values()) {
        assertEquals(16, p.getProfile().size());
        assertEquals(p.getProfile().keySet(), p.getFilledProfile().keySet());
        assertEquals(p.getProfile().get("name"), p.getFilledProfile().get("name"));
        assertTrue(p.getSeekerInfo(), p.getSeekerInfo().matches("(?s).*\\b[Yy]ou\\b.*"));
      }
      assertEquals("ENTP", people.get("debater-1").getMbti());

      List<CharacterChatDialogue> dialogues = avro(out, "dialogues", CharacterChatDialogue.class);
      assertEquals(8, dialogues.size());
      assertEquals(8, m.get("outputRecords").asLong());
      Map<String, Set<String>> supporters = new HashMap<>();
      long calls = 4 * 4;
      for (CharacterChatDialogue d : dialogues) {
        String[] pair = d.getId().split("~");
        assertNotEquals(pair[0], pair[1]);
        supporters.computeIfAbsent(pair[0], k -> new HashSet<>()).add(pair[1]);
        checkDialogue(d, people.get(pair[1]));
        // every utterance but the Hello is a reply; all but the Hello, the worry and the two
        // goodbyes choose an aspect first; plus the sentiments and the dialogue's score
        calls += d.getDial().size() * 2L - 5 + d.getSentiments().size() + 1;
      }
      supporters.values().forEach(s -> assertEquals(2, s.size()));
      assertEquals(4, supporters.size());
      assertEquals(calls, m.at("/llm/calls").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());

      for (JsonNode r : lines(out, "dialogues.characterchat")) {
        assertTrue(r.has("seeker_info") && r.has("supporter_info"));
        assertTrue(r.get("dial").get(0).get("choose_info").has("aspect"));
      }
      for (JsonNode r : lines(out, "dialogues.chat")) {
        JsonNode msgs = r.get("messages");
        assertEquals("system", msgs.get(0).get("role").asText());
        assertEquals("user", msgs.get(1).get("role").asText());
        assertEquals("assistant", msgs.get(msgs.size() - 1).get("role").asText());
      }
      for (JsonNode r : lines(out, "dialogues.alpaca")) {
        assertTrue(r.get("system").asText().startsWith("You are "));
        assertTrue(r.get("history").size() >= 1);
        assertTrue(!r.get("output").asText().isBlank());
      }
    }
  }

  /**
   * Alternation, the forced worry, a sentiment per seeker utterance, an aspect of the speaker's
   * own, and the end.
   */
  private static void checkDialogue(CharacterChatDialogue d, CharacterChatProfile supporter) {
    List<CharacterChatUtterance> dial = d.getDial();
    int n = dial.size();
    assertEquals("Hello", dial.get(0).getUtterance());
    assertEquals("", dial.get(0).getAspect());
    for (int i = 0; i < n; i++) {
      assertEquals(d.getId(), i % 2 == 0 ? "seeker" : "supporter", dial.get(i).getSpeaker());
      assertEquals("turns from 0, as the authors'", i, dial.get(i).getTurn());
      assertTrue(!dial.get(i).getUtterance().isBlank());
      boolean goodbye = i >= n - 2;
      if (i % 2 == 1 && !goodbye) {
        String aspect = dial.get(i).getAspect();
        assertTrue(
            aspect,
            aspect.isEmpty() // "NONE", and the coin said no additional information
                || aspect.equals("additional_information")
                || supporter.getSecondPerson().containsKey(aspect));
        assertTrue("the supporter never draws on a worry", !aspect.equals("recent_worry"));
      }
      if (goodbye) {
        assertEquals("a goodbye draws on no aspect", "", dial.get(i).getAspect());
      }
    }
    assertEquals("recent_worry", dial.get(2).getAspect());
    List<Integer> s = d.getSentiments();
    // the seeker's utterances but the Hello and the goodbye
    assertEquals((n + 1) / 2 - 2, s.size());
    // the stop rule or the limit: either way the supporter says goodbye, then the seeker
    assertEquals("supporter", dial.get(n - 2).getSpeaker());
    assertEquals("seeker", dial.get(n - 1).getSpeaker());
    if (d.getClosed()) {
      assertTrue(s.size() >= 5 && s.get(s.size() - 1) >= 4 && s.get(s.size() - 2) >= 4);
    } else {
      assertEquals(MAX, n);
    }
    assertTrue(d.getMood() >= 1 && d.getMood() <= 5);
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
