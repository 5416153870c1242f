package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launchOverHttp;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
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
  private static final String WORRY = "recent_worry_or_anxiety";

  /** The simulator's expanded fields of 20 words or more (all but the kept ones and the hobby). */
  private static final List<String> LONG =
      List.of(
          "tone",
          "personality",
          "advantages_and_disadvantages",
          "growth_experience",
          "family_relationship",
          "working_conditions",
          "social_relationship",
          "emotional_state",
          "living_conditions",
          WORRY);

  /** Invent, expand, two statements, a rewrite per long field, additional information twice. */
  private static final long PROFILE_CALLS = 6 + LONG.size();

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
        checkProfile(p);
      }
      assertEquals("ENTP", people.get("debater-1").getMbti());

      List<CharacterChatDialogue> dialogues = avro(out, "dialogues", CharacterChatDialogue.class);
      assertEquals(8, dialogues.size());
      assertEquals(8, m.get("outputRecords").asLong());
      Map<String, Set<String>> supporters = new HashMap<>();
      long calls = 4 * PROFILE_CALLS;
      for (CharacterChatDialogue d : dialogues) {
        String[] pair = d.getId().split("~");
        assertNotEquals(pair[0], pair[1]);
        supporters.computeIfAbsent(pair[0], k -> new HashSet<>()).add(pair[1]);
        checkDialogue(d, people.get(pair[1]));
        checkSides(d, people.get(pair[0]), people.get(pair[1]));
        // two tone calls; every utterance but the Hello is a reply; all but the Hello, the worry
        // and the two goodbyes choose an aspect first; plus the sentiments and the score
        calls += 2 + d.getDial().size() * 2L - 5 + d.getSentiments().size() + 1;
      }
      supporters.values().forEach(s -> assertEquals(2, s.size()));
      assertEquals(4, supporters.size());
      assertEquals(calls, m.at("/llm/calls").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());

      checkAuthorsForms(out, dialogues);
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
                || supporter.getProfileTrans().containsKey(aspect));
        assertTrue("the supporter never draws on a worry", !aspect.equals(WORRY));
      }
      if (goodbye) {
        assertEquals("a goodbye draws on no aspect", "", dial.get(i).getAspect());
      }
    }
    assertEquals(WORRY, dial.get(2).getAspect());
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

  /**
   * The authors' fields; the expansion keeps the name; the long fields and only those rewritten in
   * the second person, the others as they are; statements from the base fields.
   */
  private static void checkProfile(CharacterChatProfile p) {
    assertEquals(16, p.getProfile().size());
    assertEquals(p.getProfile().keySet(), p.getFilledProfile().keySet());
    assertTrue(p.getProfile().containsKey("advantages_and_disadvantages"));
    String name = p.getProfile().get("name");
    assertEquals(name, p.getFilledProfile().get("name"));
    assertEquals(LONG, p.getRewritten());
    Map<String, String> trans = p.getProfileTrans();
    assertEquals(17, trans.size());
    for (String f : p.getFilledProfile().keySet()) {
      String v = p.getFilledProfile().get(f);
      assertEquals(f, LONG.contains(f) ? "You know this about yourself: " + v : v, trans.get(f));
    }
    assertTrue(p.getFilledProfile().get("tone").split(" ").length >= 20);
    assertEquals("birdwatching on weekends", trans.get("hobby"));
    assertEquals(
        "You keep a small notebook of things that made them laugh.",
        trans.get("additional_information"));
    assertEquals("You are " + name + ", and you want someone to listen.", p.getSeekerStatement());
    assertEquals(
        "You are " + name + ", and friends come to you for comfort.", p.getSupporterStatement());
  }

  /** Each side is its profile as the authors' seeker_info and supporter_info hold it. */
  private static void checkSides(
      CharacterChatDialogue d, CharacterChatProfile seeker, CharacterChatProfile supporter) {
    assertEquals(seeker.getId(), d.getSeeker().getIndex());
    assertEquals(seeker.getSeekerStatement(), d.getSeeker().getStatement());
    assertEquals(supporter.getSupporterStatement(), d.getSupporter().getStatement());
    assertEquals(supporter.getProfileTrans(), d.getSupporter().getProfileTrans());
    assertEquals(
        seeker.getAdditionalInformation(),
        d.getSeeker().getProfile().get("additional_information"));
    for (String tone :
        List.of(d.getSeeker().getToneSentences(), d.getSupporter().getToneSentences())) {
      String[] samples = tone.split("\n\n");
      assertEquals(5, samples.length);
      for (String x : samples) {
        assertTrue(x, x.startsWith("When the other party ") && x.contains(", you should say, "));
      }
    }
    assertTrue(d.getSystem().startsWith(supporter.getSupporterStatement() + "\n"));
    assertTrue(d.getSystem().contains(d.getSupporter().getToneSentences()));
  }

  /**
   * The authors' dialogue lines; their supporter and seeker training sets (one line per utterance,
   * the history from the speaker's first utterance); the selector's (one line per candidate, one
   * labelled 1 when an aspect was drawn on).
   */
  private static void checkAuthorsForms(Path out, List<CharacterChatDialogue> dialogues)
      throws Exception {
    List<JsonNode> authors = lines(out, "dialogues.characterchat");
    assertEquals(dialogues.size(), authors.size());
    for (JsonNode r : authors) {
      assertEquals(
          List.of("index", "seeker_info", "supporter_info", "dial"),
          ImmutableList.copyOf(r.fieldNames()));
      assertEquals(
          List.of(
              "supporter_index",
              "supporter_mbti",
              "supporter_profile",
              "supporter_profile_trans",
              "supporter_statement",
              "supporter_tone_sentences"),
          ImmutableList.copyOf(r.get("supporter_info").fieldNames()));
      assertEquals("name", r.at("/seeker_info/seeker_profile").fieldNames().next());
      assertEquals("Hello", r.at("/dial/0/utterance").asText());
      assertEquals(WORRY, r.at("/dial/2/choose_info/aspect").asText());
    }
    int supporterUtterances = 0;
    int seekerUtterances = 0;
    int chosen = 0;
    for (CharacterChatDialogue d : dialogues) {
      int n = d.getDial().size();
      supporterUtterances += n / 2;
      seekerUtterances += (n - 1) / 2;
      chosen += n - 3;
    }
    List<JsonNode> supporter = lines(out, "dialogues.supporter");
    assertEquals(supporterUtterances, supporter.size());
    List<JsonNode> seeker = lines(out, "dialogues.seeker");
    assertEquals(seekerUtterances, seeker.size());
    for (List<JsonNode> set : List.of(supporter, seeker)) {
      for (JsonNode l : set) {
        JsonNode c = l.get("conversations");
        assertEquals(
            List.of("system", "history", "info", "utterance"),
            ImmutableList.copyOf(c.fieldNames()));
        assertTrue(c.at("/system/seeker").asText().startsWith("You are "));
        assertEquals("history is whole exchanges", 0, c.get("history").size() % 2);
      }
    }
    // the same examples laid out as their trainer's preprocess.py does, as prompt and completion
    List<JsonNode> prompted = lines(out, "dialogues.supporter_prompted");
    assertEquals(supporter.size(), prompted.size());
    for (JsonNode l : prompted) {
      String prompt = l.get("prompt").asText();
      assertTrue(prompt, prompt.startsWith("<SYSTEM>You are "));
      assertTrue(prompt, prompt.matches("(?s).*<SUPPORTER>\\[INFO-[^\\]]*\\]$"));
      assertTrue(!l.get("completion").asText().isBlank());
    }
    assertEquals(seeker.size(), lines(out, "dialogues.seeker_prompted").size());
    JsonNode firstSeeker = seeker.get(0).get("conversations");
    assertEquals(0, firstSeeker.get("history").size());
    assertTrue(firstSeeker.get("info").asText().startsWith("You know this about yourself: "));
    int ones = 0;
    int lines = 0;
    for (JsonNode l : lines(out, "dialogues.selector")) {
      ones += l.at("/conversations/label").asInt();
      lines++;
    }
    // ten candidates for a seeker utterance, nine for a supporter one
    assertTrue(lines > chosen * 7);
    assertTrue(ones <= chosen && ones >= dialogues.size());
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
