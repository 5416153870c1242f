package dev.rolesynth.simschat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.SimsChatDialogue;
import dev.rolesynth.avro.SimsChatLine;
import dev.rolesynth.pipeline.DistinctNames;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Elements;
import dev.rolesynth.simschat.SimsChat.Partner;
import dev.rolesynth.simschat.SimsChat.Personal;
import dev.rolesynth.simschat.SimsChat.Scene;
import dev.rolesynth.simschat.SimsChat.SceneIdea;
import dev.rolesynth.simschat.SimsChat.Social;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.Test;

/**
 * SimsChat's rules on their own: the pool line, the checks of a profile and a dialogue, the SFT
 * turns.
 */
public class SimsChatRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Elements ELEMENTS =
      new Elements(
          "e",
          "Chef",
          "Big Happy Family",
          List.of("Cheerful"),
          "Cooking",
          new Origin("pool.jsonl", 1),
          List.of());
  private static final Personal PERSONAL =
      new Personal("Female", "calm", "kind", "loyal", "cooking");
  private static final Social SOCIAL = new Social("a sister", "many friends", "a flat");
  private static final Character BELLA =
      new Character(ELEMENTS, "Bella Goth", 30, PERSONAL, SOCIAL, "You are Bella.", List.of(), 2);
  private static final Scene SCENE =
      new Scene(
          BELLA,
          1,
          new SceneIdea("Chat", "park", "sunny", "picnic"),
          "picnic",
          "Happy",
          new Partner("Tom", "Tom"),
          3);

  @Test
  public void aPoolLineNeedsEveryElement() throws Exception {
    ElementsMapper m = new ElementsMapper();
    Origin o = new Origin("pool.jsonl", 2);
    assertEquals(
        List.of("A", "B"),
        m.map(
                JSON.readTree(
                    "{\"career\":\"c\",\"aspiration\":\"a\",\"traits\":\"A, B\",\"skill\":\"s\"}"),
                o)
            .traits());
    assertTrue(
        m.map(
                JSON.readTree(
                    "{\"career\":\"c\",\"aspiration\":\"a\",\"traits\":[\"A\"],\"skill\":\"s\"}"),
                o)
            .id()
            .startsWith("sim-"));
    BadRecordException e =
        assertThrows(
            BadRecordException.class,
            () ->
                m.map(
                    JSON.readTree("{\"career\":\"c\",\"aspiration\":\"a\",\"traits\":[\"A\"]}"),
                    o));
    assertEquals("missing_field", e.reason());
    assertTrue(e.getMessage().contains("'skill'"));
    assertEquals(
        "wrong_type",
        assertThrows(
                BadRecordException.class,
                () ->
                    m.map(
                        JSON.readTree(
                            "{\"career\":3,\"aspiration\":\"a\",\"traits\":[\"A\"],\"skill\":\"s\"}"),
                        o))
            .reason());
  }

  @Test
  public void theProfileIsInTheSecondPersonAndNamesTheCharacter() {
    assertNull(Stages.profileProblem(BELLA, "You are Bella Goth, a chef."));
    assertThat(
        Stages.profileProblem(BELLA, "Bella Goth is a chef."), containsString("second person"));
    assertThat(
        Stages.profileProblem(BELLA, "You are a chef."), containsString("must name Bella Goth"));
  }

  @Test
  public void theCharacterSpeaksAndThinksAndOnlyTheCharacterThinks() throws Exception {
    assertNull(
        Stages.dialogueProblem(
            SCENE,
            JSON.readTree(
                "[{\"role\":\"Bella\",\"action\":\"(thinking)\",\"content\":\"hm\"},"
                    + "{\"role\":\"Tom\",\"action\":\"(speaking)\",\"content\":\"hi\"},{\"role\":\"Bella Goth\",\"action\":\"(speaking)\",\"content\":\"hey\"}]")));
    // the character opens, as in 1,341 of the authors' 1,344 dialogues
    assertThat(
        Stages.dialogueProblem(
            SCENE,
            JSON.readTree(
                "[{\"role\":\"Tom\",\"action\":\"(speaking)\",\"content\":\"hi\"},"
                    + "{\"role\":\"Bella\",\"action\":\"(thinking)\",\"content\":\"hm\"},{\"role\":\"Bella Goth\",\"action\":\"(speaking)\",\"content\":\"hey\"}]")),
        containsString("Bella Goth opens the conversation"));
    assertThat(
        Stages.dialogueProblem(
            SCENE,
            JSON.readTree(
                "[{\"role\":\"Bella\",\"action\":\"(speaking)\",\"content\":\"hi\"},"
                    + "{\"role\":\"Tom\",\"action\":\"(speaking)\",\"content\":\"hi\"}]")),
        containsString("must think at least once"));
    assertThat(
        Stages.dialogueProblem(
            SCENE,
            JSON.readTree(
                "[{\"role\":\"Bella\",\"action\":\"(thinking)\",\"content\":\"hm\"},"
                    + "{\"role\":\"Tom\",\"action\":\"(thinking)\",\"content\":\"hm\"},{\"role\":\"Bella\",\"action\":\"(speaking)\",\"content\":\"hi\"}]")),
        containsString("only Bella Goth's lines may be (thinking); Tom can only speak"));
  }

  @Test
  public void emotionsAreDrawnBySeedPerScene() {
    List<String> drawn =
        IntStream.rangeClosed(1, 40).mapToObj(i -> Stages.emotion(5, "e", i)).toList();
    assertEquals(
        "the same seed draws the same",
        drawn,
        IntStream.rangeClosed(1, 40).mapToObj(i -> Stages.emotion(5, "e", i)).toList());
    assertTrue(Stages.EMOTIONS.containsAll(drawn));
    assertTrue("scenes get different emotions: " + drawn, new HashSet<>(drawn).size() > 3);
    assertNotEquals(
        "another seed draws others",
        drawn,
        IntStream.rangeClosed(1, 40).mapToObj(i -> Stages.emotion(6, "e", i)).toList());
  }

  @Test
  public void aRenamedCharacterAvoidsTheRunsNamesAndTakesItsFirstLetter() {
    var first = DistinctNames.Naming.first(ELEMENTS);
    assertNull(first.problem("Anyone At All"));
    assertEquals("none", first.takenText());
    var again =
        new DistinctNames.Naming<>(ELEMENTS, List.of("Bella Goth", "Tom Lee"), "Bella Goth", "C");
    assertEquals("Bella Goth; the first name must begin with C", again.takenText());
    assertThat(again.problem(" tom  lee"), containsString("\"" + " tom  lee" + "\" is taken"));
    assertThat(again.problem("Dora Vale"), containsString("must begin with C"));
    assertNull(again.problem("Cora Vale"));
  }

  @Test
  public void theOtherCharacterOfTheSceneMustSpeak() throws Exception {
    Scene withKofi =
        new Scene(
            BELLA,
            1,
            new SceneIdea("Chat", "park", "sunny", "picnic"),
            "picnic",
            "Happy",
            new Partner("Kofi", "K"),
            3);
    String lines =
        "[{\"role\":\"Bella\",\"action\":\"(thinking)\",\"content\":\"hm\"},"
            + "{\"role\":\"Tom\",\"action\":\"(speaking)\",\"content\":\"hi\"},"
            + "{\"role\":\"Bella\",\"action\":\"(speaking)\",\"content\":\"hey\"}]";
    assertNull(Stages.dialogueProblem(SCENE, JSON.readTree(lines)));
    assertThat(
        Stages.dialogueProblem(withKofi, JSON.readTree(lines)),
        containsString("Kofi is in the scene and must speak"));
  }

  /** Partners are the run's other characters, never the character itself, taken in turn. */
  @Test
  public void charactersMeetTheRunsOtherCharactersSceneByScene() {
    List<Character> all = new ArrayList<>();
    for (String n : List.of("Ann", "Bob", "Cy")) {
      Elements e =
          new Elements(n, "Chef", "Fame", List.of("Kind"), "Cooking", ELEMENTS.origin(), List.of());
      all.add(new Character(e, n + " Lee", 30, PERSONAL, SOCIAL, "You are " + n, List.of(), 2));
    }
    Character ann = all.get(0);
    List<Partner> met = Stages.partners(ann, all, 5, 42);
    assertEquals(2, met.size());
    assertEquals(Set.of("Bob Lee", "Cy Lee"), Set.of(met.get(0).name(), met.get(1).name()));
    assertEquals(
        "Bob Lee, Chef (Kind)",
        met.stream().filter(p -> p.name().startsWith("Bob")).findFirst().orElseThrow().about());
    Character cast = ann.withPartners(met);
    assertEquals(cast.partner(1), cast.partner(3));
    assertNotEquals(cast.partner(1), cast.partner(2));
    assertNull(
        "a run of one meets nobody",
        ann.withPartners(Stages.partners(ann, List.of(ann), 5, 42)).partner(1));
    assertEquals(met, Stages.partners(ann, List.of(all.get(2), all.get(1), ann), 5, 42));
  }

  /**
   * Over 200 characters' first scenes (seed 42): each of the 16 emotions near 1/16, the topics near
   * their shares in the authors' dialogues, all within five points.
   */
  @Test
  public void emotionsAndTopicsFollowTheAuthorsDataOverTwoHundredCharacters() {
    Map<String, Integer> emotions = new HashMap<>();
    Map<String, Integer> topics = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      emotions.merge(Stages.emotion(42, "sim-" + i, 1), 1, Integer::sum);
      topics.merge(Stages.topic(42, "sim-" + i, 1), 1, Integer::sum);
    }
    assertEquals(16, Stages.EMOTIONS.size());
    for (String e : Stages.EMOTIONS) {
      assertEquals(e, 1 / 16.0, emotions.getOrDefault(e, 0) / 200.0, 0.05);
    }
    double total = Stages.TOPICS.values().stream().mapToInt(Integer::intValue).sum();
    Stages.TOPICS.forEach(
        (t, n) -> assertEquals(t, n / total, topics.getOrDefault(t, 0) / 200.0, 0.05));
    assertTrue(topics.keySet().containsAll(List.of("arguments", "discussing hobbies")));
  }

  @Test
  public void theCharactersLinesAreTheAssistantsTurnsTheOthersNamedUserTurns() {
    SimsChatDialogue d =
        SimsChatDialogue.newBuilder()
            .setId("e/1")
            .setCharacter("Bella Goth")
            .setType("Chat")
            .setSetting("s")
            .setEmotion("happy")
            .setTopic("t")
            .setLocation("l")
            .setBackground("b")
            .setSource("generated")
            .setSystem("You are Bella.")
            .setDialogue(
                List.of(
                    new SimsChatLine("Tom", "(speaking)", "Hi!"),
                    new SimsChatLine("Bella", "(thinking)", "Oh no."),
                    new SimsChatLine("Bella", "(speaking)", "Hello."),
                    new SimsChatLine("Tom", "(speaking)", "Bye.")))
            .setProvenance(
                Provenance.newBuilder()
                    .setPipeline("simschat")
                    .setPipelineVersion("1")
                    .setModel("m")
                    .setEndpointKind("sim")
                    .setSimulated(true)
                    .setPromptTemplateHashes(Map.of())
                    .setSeed(1)
                    .setRunId("r")
                    .setSourceFile("f")
                    .setSourceLine(1)
                    .setLlmCalls(1)
                    .setWarnings(List.of())
                    .build())
            .build();
    assertEquals(
        "{\"messages\":[{\"role\":\"system\",\"content\":\"You are Bella.\"},"
            + "{\"role\":\"user\",\"content\":\"Tom: Hi!\"},"
            + "{\"role\":\"assistant\",\"content\":\"(thinking) Oh no.\\n(speaking) Hello.\"}]}",
        SimsChatPipeline.DIALOGUES.formats().get("chat").apply(d));
  }
}
