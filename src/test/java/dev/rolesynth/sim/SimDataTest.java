package dev.rolesynth.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SimDataTest {
  @Test
  public void listsComeInTheFilesOrderAndAMissingOneIsNamed() {
    SimData words = SimData.of("simschat");
    assertEquals(List.of("Chat", "Speech", "Debate", "Discussion"), words.get("types"));
    var e = assertThrows(IllegalStateException.class, () -> words.get("nope"));
    assertTrue(e.getMessage(), e.getMessage().contains("pipelines/simschat/simulated.yaml"));
  }

  @Test
  public void declaredAnswersFillTheirTextsFromTheStageVariablesAndKeepTheRest() {
    var answers = SimData.of("characterchat").answers();
    var in =
        new StageSimulations.Input(
            Map.of("value", "you like {{tea}}"), Map.of(), List.of(), null, 1);
    assertEquals(
        "{\"text\":\"You know this about yourself: you like {{tea}}\"}",
        answers.get("cc_rewrite").answer(in).toString());
    assertEquals(5, answers.get("cc_tone").answer(in).get("samples").size());
    var shape = new ObjectMapper().createObjectNode().put("score", 3).put("who", "{{name}}");
    var filled =
        new TemplateAnswer("test", shape)
            .answer(
                new StageSimulations.Input(Map.of("name", "Ada"), Map.of(), List.of(), null, 1));
    assertEquals("{\"score\":3,\"who\":\"Ada\"}", filled.toString());
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TemplateAnswer("simulated.yaml: x", shape)
                    .answer(new StageSimulations.Input(Map.of(), Map.of(), List.of(), null, 1)));
    assertTrue(missing.getMessage(), missing.getMessage().contains("simulated.yaml: x"));
  }
}
