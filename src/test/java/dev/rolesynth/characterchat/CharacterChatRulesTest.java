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

  private static Person person(String type, int index) {
    Slot slot = new Slot(new MbtiType(type, type, new Origin("pool.jsonl", 1), List.of()), index);
    return new Person(
        slot,
        Map.of("name", type + " " + index),
        Map.of(),
        Map.of("name", "n", "hobby", "Your hobby"),
        "You seek",
        "You support",
        "more",
        List.of(),
        List.of());
  }

  private static Person chooser(String type) {
    Slot slot = new Slot(new MbtiType(type, type, new Origin("pool.jsonl", 1), List.of()), 1);
    Map<String, String> second = new LinkedHashMap<>();
    for (String k : List.of("name", "age", "tone", "hobby", "family", "work", "recent_worry")) {
      second.put(k, "Your " + k);
    }
    return new Person(
        slot,
        Map.of("name", type),
        Map.of(),
        second,
        "",
        "",
        "You collect stamps.",
        List.of(),
        List.of());
  }

  @Test
  public void aspectsAreChosenAsTheAuthorsChooseThem() {
    Talk t = Talk.between(chooser("INFP"), chooser("ESTJ")).said(Talk.HELLO, 21);
    // the supporter's turn: no base fields, never the worry
    assertEquals(List.of("hobby", "family", "work"), Choosing.choosable(t));
    Talk chose = Choosing.chosen(t, "family", 42);
    assertEquals("the profile's field word for word", "Your family", chose.content());
    t = chose.said("s1", 21);
    assertEquals(List.of("hobby", "family", "work", "recent_worry"), Choosing.choosable(t));
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
  public void theSecondPersonStatementsAreChecked() throws Exception {
    Person p = person("INFP", 1);
    assertNull(
        Stages.transformProblem(
            p,
            JSON.readTree(
                "{\"seeker\": \"You are worried.\", \"supporter\": \"You listen.\","
                    + " \"additional_information\": \"short\"}")));
    assertThat(
        Stages.transformProblem(
            p,
            JSON.readTree(
                "{\"seeker\": \"She is worried.\", \"supporter\": \"You listen.\","
                    + " \"additional_information\": \"short\"}")),
        containsString("\"seeker\" must speak to"));
    assertThat(
        Stages.transformProblem(
            p,
            JSON.readTree(
                "{\"seeker\": \"You are.\", \"supporter\": \"You listen.\","
                    + " \"additional_information\": \""
                    + "word ".repeat(101)
                    + "\"}")),
        containsString("at most 100 words, not 101"));
  }
}
