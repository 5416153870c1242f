package dev.rolesynth.prompt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Stage declarations in pipeline.yaml: read in order, every field checked, and what the book makes
 * of them.
 */
public class StageSpecTest {
  private static JsonNode yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(text);
  }

  @Test
  public void aDeclarationIsReadInFileOrder() throws Exception {
    Map<String, StageSpec> s =
        StageSpec.parse(
            "x",
            yaml(
                """
        b_answer: {about: answers, system: answer.system, schema: answer, temperature: 0.7, maxTokens: 800}
        a_judge: {system: judge.system, user: judge.user, schema: judge, temperature: 0, maxTokens: 400}
        """));
    assertEquals(List.of("b_answer", "a_judge"), List.copyOf(s.keySet()));
    StageSpec answer = s.get("b_answer");
    assertEquals("answer.system", answer.system());
    assertNull("turns built in code", answer.user());
    assertEquals(800, answer.maxTokens());
    assertEquals(0.0, s.get("a_judge").temperature(), 0);
  }

  @Test
  public void aBadDeclarationNamesThePipelineAndTheStage() throws Exception {
    ConfigException unknown =
        assertThrows(
            ConfigException.class,
            () ->
                StageSpec.parse(
                    "x", yaml("s1: {schema: a, temperature: 0.5, maxTokens: 10, maxTokenz: 20}")));
    assertThat(
        unknown.getMessage(),
        containsString("pipelines/x/pipeline.yaml, stage s1: unknown field 'maxTokenz'"));
    ConfigException missing =
        assertThrows(
            ConfigException.class, () -> StageSpec.parse("x", yaml("s2: {temperature: 3}")));
    assertThat(
        missing.getMessage(),
        containsString("stage s2: needs schema, temperature (0-2) and maxTokens"));
  }

  @Test
  public void aStageThatNeedsAWholeEarlierStageSaysWhichAndWhy() throws Exception {
    Map<String, StageSpec> s =
        StageSpec.parse(
            "x",
            yaml(
                """
        cards: {schema: a, temperature: 0.5, maxTokens: 10}
        questions: {schema: b, temperature: 0.5, maxTokens: 10, waitsFor: {stage: cards, why: other roles' cards}}
        """));
    assertEquals("cards", s.get("questions").waitsFor());
    assertEquals("other roles' cards", s.get("questions").waitsWhy());
    assertNull(s.get("cards").waitsFor());
    ConfigException later =
        assertThrows(
            ConfigException.class,
            () ->
                StageSpec.parse(
                    "x",
                    yaml(
                        """
        questions: {schema: b, temperature: 0.5, maxTokens: 10, waitsFor: {stage: cards, why: w}}
        cards: {schema: a, temperature: 0.5, maxTokens: 10}
        """)));
    assertThat(
        later.getMessage(),
        containsString("stage questions: waitsFor needs the stage (declared above)"));
    assertThrows(
        ConfigException.class,
        () ->
            StageSpec.parse(
                "x",
                yaml(
                    """
        cards: {schema: a, temperature: 0.5, maxTokens: 10}
        questions: {schema: b, temperature: 0.5, maxTokens: 10, waitsFor: {stage: cards}}
        """)));
    assertEquals(
        "cc_info_rewrite", PromptBook.load("characterchat", "").stage("cc_tone").waitsFor());
  }

  @Test
  public void theBookLoadsTheTemplatesAndSchemasOfTheDeclaredStages() {
    PromptBook book = PromptBook.load("ditto", "");
    assertEquals("judge_identity.user", book.stage("ditto_judge_identity").user());
    assertThat(book.templateHashes().keySet().toString(), containsString("contrast_check.user"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> book.stage("ditto_nope"));
    assertThat(e.getMessage(), containsString("not declared"));
  }
}
