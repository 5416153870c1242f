package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
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

  record Line(String role, String content) {}

  record Scene(String setting, int age, List<String> tags, List<Line> lines) {}

  @Test
  public void anAnswerReadsAsTheRecordOfItsSchemaStringsTrimmedAndAMissingFieldNamed()
      throws Exception {
    var answer =
        MAPPER.readTree(
            "{\"setting\": \" A harbour. \", \"age\": 31, \"tags\": [\" calm \", \"dusk\"],"
                + " \"lines\": [{\"role\": \"Ann \", \"content\": \" Hello.\"}], \"extra\": 1}");
    Scene s = Answers.as(answer, Scene.class);
    assertEquals(
        new Scene("A harbour.", 31, List.of("calm", "dusk"), List.of(new Line("Ann", "Hello."))),
        s);
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Answers.as(
                    MAPPER.readTree("{\"setting\": \"x\", \"age\": 1, \"tags\": []}"),
                    Scene.class));
    assertThat(missing.getMessage(), containsString("\"lines\""));
    var wrong =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Answers.as(
                    MAPPER.readTree(
                        "{\"setting\": \"x\", \"age\": \"old\", \"tags\": [], \"lines\": []}"),
                    Scene.class));
    assertThat(wrong.getMessage(), containsString("Scene"));
  }
}
