package dev.rolesynth.beyond;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.Partner;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.CallStats;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class BdTasksTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Scratch-mode settings unless the args choose a mode. */
  static BeyondDialogueSettings settings(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--mode="))) {
      all.add(0, "--mode=scratch");
    }
    return raw(all.toArray(String[]::new));
  }

  static BeyondDialogueSettings raw(String... args) {
    RolesynthOptions o = Knobs.parseArgs("beyond-dialogue", BeyondDialogueKnobs.class, args);
    return new BeyondDialogueSettings(o, Knobs.of(o, "beyond-dialogue", BeyondDialogueKnobs.class));
  }

  static Profile mira() {
    return Profiles.of(
        ProfilesTest.role(
            "mira",
            "Mira Okonkwo",
            List.of("Mira"),
            "character",
            "patient,stubborn,observant",
            "style",
            "dry,laconic",
            "personality",
            "ISTJ",
            "world",
            "a lighthouse coast"),
        "auto",
        "sourceFile");
  }

  static Dialogue dialogue() {
    return new Dialogue(
        "mira/p01",
        mira(),
        "scratch",
        new Partner("Tobin", "a reckless sailor"),
        "A storm at night.",
        List.of(
            new Line("Tobin", "I lost the sail.", ""),
            new Line("Mira Okonkwo", "Then sit and dry off.", "pours tea")),
        new Emotions(List.of(1, 2, 3, 4, 5, 6)),
        7,
        null,
        8);
  }

  private static CallOutcome ok(String json) throws Exception {
    return new CallOutcome(json, MAPPER.readTree(json), null, new CallStats());
  }

  @Test
  public void tagTasksOfferOnlyTheRolesOwnTagsAndKeepOnlyThose() throws Exception {
    var task = AlignTasks.align(settings(), "character");
    ChatRequest r = task.request(dialogue());
    JsonNode items = r.schema().at("/properties/character/items/enum");
    assertEquals("[\"patient\",\"stubborn\",\"observant\"]", items.toString());
    assertThat(
        r.messages().get(1).content(),
        containsString("Candidate character traits of Mira Okonkwo: patient, stubborn, observant"));
    assertThat(
        r.messages().get(1).content(),
        containsString("Mira Okonkwo: (pours tea) Then sit and dry off."));
    assertThat(
        task.check(dialogue()).problem(MAPPER.readTree("{\"character\": [\"brave\"]}")),
        containsString("patient, stubborn"));
    assertNull(
        task.check(dialogue())
            .problem(MAPPER.readTree("{\"character\": [\"Stubborn \", \"brave\"]}")));
    Label l =
        task.parse(
                dialogue(),
                ok(
                    "{\"analysis\": \"She insists.\", \"character\": [\"Stubborn\", \"brave\", \"patient\"]}"))
            .get(0);
    assertEquals(List.of("stubborn", "patient"), l.tags());
    assertEquals("{\"character\":[\"stubborn\",\"patient\"]}", l.answerJson());
    // The SFT output is the JSON the instruction asks for: analysis first, then the list.
    assertEquals(
        "{\"analysis\":\"She insists.\",\"character\":[\"stubborn\",\"patient\"]}",
        SftRecords.output(l));
    assertEquals("mira/p01", l.dialogueId());
  }

  @Test
  public void personalityLettersAreCheckedAndEmotionsNeedAllSix() throws Exception {
    var p = AlignTasks.align(settings(), "personality");
    assertThat(
        p.check(dialogue()).problem(MAPPER.readTree("{\"personality\": \"IXTJ\"}")),
        containsString("S or N"));
    assertEquals(
        "INTJ",
        p.parse(dialogue(), ok("{\"analysis\": \"calm\", \"personality\": \"intj\"}"))
            .get(0)
            .mbti());
    var e = AlignTasks.align(settings(), "emotion");
    JsonNode schema = e.request(dialogue()).schema();
    assertEquals(false, schema.get("additionalProperties").asBoolean());
    assertEquals(7, schema.get("required").size());
    Label l =
        e.parse(
                dialogue(),
                ok(
                    "{\"analysis\": \"x\", \"happiness\": 0, \"sadness\": 1, \"disgust\": 2, \"fear\": 3, "
                        + "\"surprise\": 4, \"anger\": 10}"))
            .get(0);
    assertEquals(List.of(0, 1, 2, 3, 4, 10), l.emotions().values());
  }

  @Test
  public void eachPartnerCallSeesThePartnersSoFarAndMustDifferFromThem() throws Exception {
    var task = BdTasks.createPartner(settings());
    PartnerChain none = new PartnerChain(mira(), List.of());
    assertThat(
        task.request(none).messages().get(1).content(),
        containsString("Create one new chat partner"));
    assertTrue(!task.request(none).messages().get(1).content().contains("Partners created so far"));
    PartnerChain one = none.with(new Partner("Tobin", "a reckless sailor"));
    String prompt = task.request(one).messages().get(1).content();
    assertThat(prompt, containsString("Partners created so far:\n- Tobin: a reckless sailor"));
    assertEquals("mira/partner-2", task.callId(one));
    assertThat(
        task.check(one).problem(MAPPER.readTree("{\"chat_role\": \"tobin\", \"role_des\": \"x\"}")),
        containsString("already taken"));
    assertThat(
        task.check(one).problem(MAPPER.readTree("{\"chat_role\": \"Mira\", \"role_des\": \"x\"}")),
        containsString("already taken"));
    assertNull(
        task.check(one)
            .problem(MAPPER.readTree("{\"chat_role\": \"Lars\", \"role_des\": \"a fisher\"}")));
  }

  @Test
  public void partnerTurnsAreShortAndNewAndTheRolePlaysItsProfile() throws Exception {
    BeyondDialogueSettings s = settings("--maxPartnerWords=5");
    Pair pair =
        new Pair(
            mira(),
            1,
            new Partner("Tobin", "a reckless sailor"),
            "A storm at night.",
            new Emotions(List.of(1, 2, 3, 4, 5, 6)),
            7);
    Conversation c = new Conversation(pair, List.of(new Line("Tobin", "Storm's coming.", "")));
    var partner = BdTurnTasks.partnerTurn(s);
    assertThat(
        partner
            .check(c)
            .problem(
                MAPPER.readTree("{\"line\": \"one two three four five six\", \"action\": \"\"}")),
        containsString("at most 5 words"));
    assertThat(
        partner
            .check(c)
            .problem(MAPPER.readTree("{\"line\": \"storm's coming.\", \"action\": \"\"}")),
        containsString("already"));
    var role = BdTurnTasks.roleTurn(s);
    ChatRequest r = role.request(c);
    String system = r.messages().get(0).content();
    assertThat(
        system,
        containsString("Mira Okonkwo's character traits are patient, stubborn, observant."));
    assertThat(system, containsString("anger: 6"));
    assertThat(system, containsString("Your intimacy with Tobin is 7"));
    assertEquals("user", r.messages().get(1).role()); // the partner's line, from the role's side
    assertEquals("mira/p01/turn-2", role.callId(c));
  }

  @Test
  public void badOptionsAreConfigErrors() {
    assertThat(expectConfig("--mode=novel"), containsString("--mode must be scratch or source"));
    assertThat(expectConfig("--mode=source", "--input=my.jsonl"), containsString("--sourceTexts"));
    assertThat(expectConfig("--input=my.jsonl"), containsString("--mode=source (the default"));
    // With no pool given, the default runs on the shipped sample: its roles and their works.
    BeyondDialogueSettings sample = raw();
    assertEquals(BeyondDialogueSettings.Mode.SOURCE, sample.mode);
    assertThat(sample.sourceTexts, containsString("sample/sources"));
    assertThat(
        expectConfig("--partnersPerRole=0"), containsString("--partnersPerRole must be between 1"));
  }

  private static String expectConfig(String... args) {
    try {
      // as the launcher plans a run: declared ranges first, then the settings' own checks
      new BeyondDialoguePipeline()
          .plan(Knobs.parseArgs("beyond-dialogue", BeyondDialogueKnobs.class, args));
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("no ConfigException for " + String.join(" ", args));
  }
}
