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
import java.util.List;
import java.util.Map;
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
  public void theSeekerStartsTheSpeakersAlternateAndTheStopRuleClosesAfterTheSupportersReply() {
    Talk t =
        new Talk(person("INFP", 1), person("ESTJ", 1), List.of(), List.of(), "", "", false, false);
    int[] scores = {1, 2, 4, 4, 5};
    for (int i = 0; i < scores.length; i++) {
      assertTrue(t.seekersTurn());
      t = t.choosing("hobby", "c").said("seeker " + i, 20).felt(scores[i]);
      // Four scores are too few, however high the last two.
      assertEquals(i == 4, t.closing());
      assertFalse(t.seekersTurn());
      t = t.said("supporter " + i, 20);
    }
    assertTrue("the closing supporter reply ends it", t.done());
    assertEquals(10, t.dial().size());
    assertEquals("supporter", t.dial().get(9).speaker());
    assertEquals(List.of(1, 2, 4, 4, 5), t.sentiments());
  }

  @Test
  public void aDialogueEndsAtItsLimitWhenTheStopRuleNeverHolds() {
    Talk t =
        new Talk(person("INFP", 1), person("ESTJ", 1), List.of(), List.of(), "", "", false, false);
    for (int i = 0; i < 3; i++) {
      t = t.said("s", 6).felt(1).said("r", 6);
    }
    assertTrue(t.done());
    assertFalse(t.closing());
    assertEquals(6, t.dial().size());
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
