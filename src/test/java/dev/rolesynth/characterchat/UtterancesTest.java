package dev.rolesynth.characterchat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** Replies cleaned as the authors' process_content cleans them. */
public class UtterancesTest {
  @Test
  public void prefixThanksAndShortClausesGo() {
    assertEquals(
        "I hear you. It sounds really hard, doesn't it?",
        Utterances.clean(
            "Supporter: Oh, I hear you. Thank you for sharing that with me.\nIt sounds really hard,"
                + " doesn't it?",
            ""));
    assertEquals(
        "As a friend I care, and I am here.",
        Utterances.clean("As an AI I cannot feel, As a friend I care, and I am here.", ""));
  }

  @Test
  public void anOpeningThatRepeatsTheOtherSpeakerGoesAndTheFirstLetterIsACapital() {
    assertEquals(
        "But tell me more about it.",
        Utterances.clean("I hear you! but tell me more about it.", "I hear you. It is hard."));
    assertEquals("Maybe we can walk it off?", Utterances.clean("maybe we can walk it off?", ""));
    assertEquals("Keep the (smile) coming.", Utterances.clean("Keep the {smile} coming.", ""));
  }

  @Test
  public void nothingLeftIsTheirFiller() {
    assertEquals(Utterances.FILLER, Utterances.clean("Thank you so much! Ok.", ""));
  }

  @Test
  public void clausesKeepTheirMarksAndSimilarityIsQuickRatio() {
    assertEquals(List.of("a,", " b.", " c"), Utterances.clauses("a, b. c"));
    assertTrue(Utterances.similar("I hear you.", "I hear you!"));
    assertFalse(Utterances.similar("I hear you.", "Tell me more."));
  }
}
