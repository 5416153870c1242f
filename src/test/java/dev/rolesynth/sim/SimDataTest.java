package dev.rolesynth.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.prompt.Resources;
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

  @Test
  public void aTextIsTheNumberOrBooleanTheSchemaWantsAndTheSimulatorsVarsFillIt() throws Exception {
    ObjectMapper json = new ObjectMapper();
    var shape = json.readTree("{\"age\":\"{{age}}\",\"ok\":\"true\",\"tags\":[\"{{age}}\"]}");
    var schema =
        json.readTree(
            "{\"properties\":{\"age\":{\"type\":\"integer\"},\"ok\":{\"type\":\"boolean\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}");
    var in = new StageSimulations.Input(Map.of(), Map.of(), List.of(), schema, 1);
    assertEquals(
        "{\"age\":41,\"ok\":true,\"tags\":[\"41\"]}",
        new TemplateAnswer("t", shape).answer(in.with(Map.of("age", 41))).toString());
    var notANumber =
        assertThrows(
            IllegalStateException.class,
            () ->
                new TemplateAnswer("simulated.yaml: y", shape)
                    .answer(in.with(Map.of("age", "old"))));
    assertTrue(
        notANumber.getMessage(), notANumber.getMessage().startsWith("simulated.yaml: y: 'old'"));
  }

  @Test
  public void simsChatsDeclaredAspectsTakeTheNameAgeAndGenderItsSimulatorDraws() {
    var request =
        new StageSimulations.Input(
            Map.of(
                "career",
                "Chef",
                "aspiration",
                "Master Chef",
                "traits",
                "cheerful",
                "skill",
                "Cooking"),
            Map.of(),
            List.of(),
            Resources.schema("simschat", "aspects"),
            7);
    var a = Declared.answerFor("sims_aspects", request);
    assertTrue(a.toString(), a.get("age").isIntegralNumber());
    assertTrue(a.get("age").asInt() >= 25 && a.get("age").asInt() < 65);
    assertTrue(a.get("name").asText().contains(" "));
    assertEquals("Colleagues in Chef ask for advice", a.at("/social/socialRelationship").asText());
  }
}
