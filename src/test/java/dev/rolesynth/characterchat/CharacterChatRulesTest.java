package dev.rolesynth.characterchat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.prompt.MethodData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.Test;

/**
 * CharacterChat's rules on their own: the pool line, the pairing, the dialogue's turns and stop
 * rule, the checks.
 */
public class CharacterChatRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Slot slot(String type, int index) {
    return new Slot(
        new MbtiType(type, type, "about " + type, new Origin("pool.jsonl", 1), List.of()), index);
  }

  private static Person person(String type, int index) {
    return Person.invented(slot(type, index), Map.of())
        .withFilled(Map.of("name", type + " " + index, "hobby", "Your hobby"))
        .withSeekerStatement("You seek")
        .withSupporterStatement("You support")
        .withAdditional("more")
        .withAdditionalTrans("You more");
  }

  private static Person chooser(String type) {
    Map<String, String> filled = new LinkedHashMap<>();
    for (String k :
        List.of(
            "name",
            "age",
            "tone",
            "hobby",
            "family_relationship",
            "working_conditions",
            CharacterChat.WORRY)) {
      filled.put(k, k.equals("name") ? type : "Your " + k);
    }
    return Person.invented(slot(type, 1), Map.of())
        .withFilled(filled)
        .withAdditional("They collect stamps.")
        .withAdditionalTrans("You collect stamps.");
  }

  @Test
  public void aspectsAreChosenAsTheAuthorsChooseThem() {
    Talk t = Talk.between(chooser("INFP"), chooser("ESTJ")).said(Talk.HELLO, 21);
    // the supporter's turn: no base fields, never the worry
    assertEquals(
        List.of("hobby", "family_relationship", "working_conditions"), Choosing.choosable(t));
    Talk chose = Choosing.chosen(t, "family_relationship", 42);
    assertEquals("the profile's field word for word", "Your family_relationship", chose.content());
    t = chose.said("s1", 21);
    assertEquals(
        List.of("hobby", "family_relationship", "working_conditions", CharacterChat.WORRY),
        Choosing.choosable(t));
    // three of the last five on "hobby": blocked for both speakers
    for (int i = 0; i < 3; i++) {
      t = Choosing.chosen(t, "hobby", 42).said("u" + i, 21);
    }
    assertEquals(List.of("hobby"), Choosing.blocked(t));
    assertFalse(Choosing.choosable(t).contains("hobby"));
    // "NONE": the additional information or nothing, by the seed
    Set<String> afterNone = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      Talk n = Choosing.chosen(t, Choosing.NONE, seed);
      afterNone.add(n.aspect() + "=" + n.content());
    }
    assertEquals(Set.of("=", "additional_information=You collect stamps."), afterNone);
  }

  @Test
  public void aPoolLineIsOneOfTheSixteenTypes() throws Exception {
    MbtiMapper m = new MbtiMapper();
    Origin o = new Origin("pool.jsonl", 3);
    assertEquals("INFP", m.map(JSON.readTree("{\"mbti\": \" infp \"}"), o).mbti());
    assertEquals("x", m.map(JSON.readTree("{\"mbti\": \"ESTJ\", \"id\": \"x\"}"), o).id());
    assertEquals(
        "bad_value",
        assertThrows(
                BadRecordException.class, () -> m.map(JSON.readTree("{\"mbti\": \"ABCD\"}"), o))
            .reason());
    assertEquals(
        "wrong_type",
        assertThrows(BadRecordException.class, () -> m.map(JSON.readTree("{\"mbti\": 4}"), o))
            .reason());
    assertEquals(
        "missing_field",
        assertThrows(
                BadRecordException.class, () -> m.map(JSON.readTree("{\"type\": \"INTJ\"}"), o))
            .reason());
  }

  @Test
  public void supportersAreOthersDrawnTheSameWayWhateverTheOrder() {
    List<Person> everyone =
        new ArrayList<>(IntStream.rangeClosed(1, 6).mapToObj(i -> person("INTJ", i)).toList());
    Person seeker = everyone.get(2);
    List<Person> drawn = MatchSupporters.draw(seeker, everyone, 3, 7);
    assertEquals(3, drawn.size());
    assertFalse(drawn.contains(seeker));
    Collections.reverse(everyone);
    assertEquals(drawn, MatchSupporters.draw(seeker, everyone, 3, 7));
    assertEquals(5, MatchSupporters.draw(seeker, everyone, 10, 7).size());
    assertTrue(MatchSupporters.draw(seeker, List.of(seeker), 2, 7).isEmpty());
  }

  @Test
  public void theSeekerSaysHelloAndTheStopRuleEndsInTwoGoodbyes() {
    Talk t = Talk.between(person("INFP", 1), person("ESTJ", 1)).said(Talk.HELLO, 21);
    assertEquals(0, t.dial().get(0).turn());
    assertEquals("", t.dial().get(0).aspect());
    int[] scores = {1, 2, 4, 4, 5};
    for (int i = 0; i < scores.length; i++) {
      assertFalse(t.seekersTurn());
      t = t.choosing("hobby", "h").said("supporter " + i, 21);
      assertTrue(t.seekersTurn());
      t = t.choosing("hobby", "c").said("seeker " + i, 21).felt(scores[i]);
      // Four scores are too few, however high the last two.
      assertEquals(i == 4, t.closing());
      assertEquals(i == 4, t.stopRule());
    }
    t = t.choosing("hobby", "h").said("goodbye from the supporter", 21);
    assertFalse("the seeker says goodbye too", t.done());
    t = t.said("goodbye from the seeker", 21);
    assertTrue(t.done());
    assertEquals(1 + 2 * 5 + 2, t.dial().size());
    assertEquals("seeker", t.dial().get(12).speaker());
    assertEquals(12, t.dial().get(12).turn());
    assertEquals("a goodbye draws on no aspect", "", t.dial().get(11).aspect());
    assertEquals(List.of(1, 2, 4, 4, 5), t.sentiments());
  }

  @Test
  public void atTheLimitTheDialogueClosesInGoodbyesNotCutMidway() {
    Talk t = Talk.between(person("INFP", 1), person("ESTJ", 1)).said(Talk.HELLO, 7);
    for (int i = 0; i < 2; i++) {
      assertFalse(t.closing());
      t = t.said("r", 7).said("s", 7).felt(1);
    }
    assertTrue("two utterances before the limit", t.closing());
    assertFalse(t.stopRule());
    t = t.said("goodbye", 7).said("goodbye", 7);
    assertTrue(t.done());
    assertEquals(7, t.dial().size());
    assertEquals("seeker", t.dial().get(6).speaker());
  }

  @Test
  public void repliesStayShortAndHuman() {
    assertNull(Stages.replyProblem("That sounds hard. Want to talk about it? 💛"));
    assertThat(
        Stages.replyProblem("As an AI, I cannot feel that."),
        containsString("never say or hint that you are an AI"));
    assertThat(Stages.replyProblem("One. Two. Three. Four."), containsString("not 4"));
  }

  @Test
  public void theLongFieldsAndThoseNamingThePersonAreRewrittenOneByOne() {
    Map<String, String> filled = new LinkedHashMap<>();
    filled.put("name", "Ross Atkins");
    filled.put("gender", "male");
    filled.put("region", "word ".repeat(25).strip()); // kept, however long
    filled.put("tone", "calm");
    filled.put("personality", "Ross is calm"); // names him: rewritten
    filled.put("hobby", "word ".repeat(19).strip()); // 19 words: kept
    filled.put("growth_experience", "word ".repeat(20).strip()); // 20: rewritten
    filled.put("emotional_state", "dating Atkinson's cousin"); // a part of the name inside a word
    Person p = Person.invented(slot("INTJ", 1), Map.of()).withFilled(filled);
    assertEquals(List.of("personality", "growth_experience", "emotional_state"), p.toRewrite());
    assertEquals("personality", p.nextRewrite());
    p = p.rewrote("personality", "You are calm").rewrote("growth_experience", "You grew");
    assertEquals("emotional_state", p.nextRewrite());
    p =
        p.rewrote("emotional_state", "You date")
            .withAdditional("He sings.")
            .withAdditionalTrans("You sing.");
    assertNull(p.nextRewrite());
    Map<String, String> trans = p.trans();
    assertEquals("calm", trans.get("tone"));
    assertEquals("You are calm", trans.get("personality"));
    assertEquals("You sing.", trans.get(CharacterChat.ADDITIONAL));
    assertEquals(
        List.of(
            "name",
            "gender",
            "region",
            "tone",
            "personality",
            "hobby",
            "growth_experience",
            "emotional_state",
            CharacterChat.ADDITIONAL),
        List.copyOf(trans.keySet()));
    assertEquals("He sings.", p.published().get(CharacterChat.ADDITIONAL));
  }

  @Test
  public void secondPersonAndToneExamplesAreChecked() throws Exception {
    assertNull(ProfileStages.secondPerson("text", "You are worried."));
    assertThat(
        ProfileStages.secondPerson("statement", "She is worried."),
        containsString("\"statement\" must speak to the person in the second person"));
    String good = "When the other party is sad, you should say, \\\"I'm here.\\\"";
    assertNull(
        Stages.toneProblem(JSON.readTree("{\"samples\": [\"" + good + "\", \"" + good + "\"]}")));
    assertThat(
        Stages.toneProblem(JSON.readTree("{\"samples\": [\"" + good + "\", \"I'm here.\"]}")),
        containsString("When the other party <does something>, you should say"));
  }

  @Test
  public void aPoolLineMayDescribeItsTypeElseTheShippedDescriptionIsUsed() throws Exception {
    MbtiMapper m = new MbtiMapper();
    Origin o = new Origin("pool.jsonl", 3);
    assertEquals(16, MethodData.of(CharacterChat.PIPELINE).texts("types").size());
    assertThat(
        m.map(JSON.readTree("{\"mbti\": \"INTJ\"}"), o).description(),
        containsString("Strategic and self-directed"));
    assertEquals(
        "Dreamers.",
        m.map(JSON.readTree("{\"mbti\": \"INFP\", \"description\": \" Dreamers. \"}"), o)
            .description());
  }

  /**
   * Over a seeded pool of 200 people: after "NONE" the additional information is drawn on half the
   * time, as the authors' coin does (within five points), and each seeker meets distinct others.
   */
  @Test
  public void overTwoHundredPeopleNoneLeadsToTheAdditionalInformationHalfTheTime() {
    List<Person> everyone = IntStream.rangeClosed(1, 200).mapToObj(i -> chooser("P" + i)).toList();
    int additional = 0;
    for (Person seeker : everyone) {
      List<Person> drawn = MatchSupporters.draw(seeker, everyone, 10, 42);
      assertEquals(10, new HashSet<>(drawn).size());
      Talk t = Talk.between(seeker, drawn.get(0)).said(Talk.HELLO, 21);
      Talk none = Choosing.chosen(t, Choosing.NONE, 42);
      additional += none.aspect().equals(Choosing.ADDITIONAL) ? 1 : 0;
    }
    assertEquals(0.5, additional / 200.0, 0.05);
  }
}
