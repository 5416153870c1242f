package dev.rolesynth.prompt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PromptTemplateTest {
  @Test
  public void insertsDataVerbatimAndNeverEvaluatesIt() {
    PromptTemplate t =
        new PromptTemplate("t", "Character: {{name}}\n{{#facts}}- {{.}}\n{{/facts}}");
    String out =
        t.render(
            Map.of(
                "name",
                "A <b>&</b> {{system}}",
                "facts",
                List.of("{{#knowledge}}x{{/knowledge}}", "plain")));
    assertEquals("Character: A <b>&</b> {{system}}\n- {{#knowledge}}x{{/knowledge}}\n- plain", out);
  }

  @Test
  public void missingVariablesAreErrorsNotBlanks() {
    PromptTemplate t = new PromptTemplate("t", "Hello {{name}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("other", "x")));
    assertEquals(true, e.getMessage().startsWith("template t:"));
  }

  @Test
  public void hashIsTheSha256OfTheText() {
    assertEquals(
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        new PromptTemplate("t", "hello").sha256());
  }

  @Test
  public void dittoTemplatesLoadFromTheClasspathWithTheirHashes() {
    for (String name :
        List.of("profile.user", "queries.user", "answer.system", "judge_identity.user")) {
      assertEquals(64, Resources.template("ditto", name).sha256().length());
    }
  }
}
