package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

public class AnswersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void aFieldIsReadTrimmedAndAMissingOneIsNamedNotPassedOnEmpty() throws Exception {
    var answer = MAPPER.readTree("{\"scene\": \"  A harbour at dusk. \", \"none\": null}");
    assertEquals("A harbour at dusk.", Answers.text(answer, "scene"));
    var missing = assertThrows(IllegalArgumentException.class, () -> Answers.text(answer, "time"));
    assertThat(missing.getMessage(), containsString("\"time\""));
    assertThrows(IllegalArgumentException.class, () -> Answers.text(answer, "none"));
  }
}
