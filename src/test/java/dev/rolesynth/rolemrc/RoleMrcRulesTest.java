package dev.rolesynth.rolemrc;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.TextPersona;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/** RoleMRC's pools as their sources publish them, and the checks its answers must pass. */
public class RoleMrcRulesTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Origin AT = new Origin("f.jsonl", 3);
  private static final RoleMrcSettings S = RoleMrcPipelineTest.settings("--chatTurns=4");

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  @Test
  public void personaHubInBothShapes() throws Exception {
    TextPersona.Mapper p = new TextPersona.Mapper();
    assertEquals("A baker.", p.map(json("{\"persona\": \" A baker. \"}"), AT).text());
    assertEquals(
        "A diver.",
        p.map(json("{\"input persona\": \"A diver.\", \"synthesized text\": \"x\"}"), AT).text());
    assertEquals("b7", p.map(json("{\"id\": \"b7\", \"persona\": \"A baker.\"}"), AT).id());
    BadRecordException e =
        assertThrows(BadRecordException.class, () -> p.map(json("{\"persona\": 7}"), AT));
    assertThat(e.getMessage(), containsString("'persona'"));
  }

  @Test
  public void msMarcoInBothShapesAndNoAnswerPresent() throws Exception {
    MrcItem.Mapper m = new MrcItem.Mapper();
    MrcItem hf =
        m.map(
            json(
                "{\"query_id\": 9, \"query\": \"q\", \"answers\": [\"No Answer Present.\"], "
                    + "\"passages\": {\"is_selected\": [0, 1], \"passage_text\": [\"a\", \"b\"], \"url\": [\"u\", \"v\"]}}"),
            AT);
    assertEquals(List.of("a", "b"), hf.passages());
    assertEquals("9", hf.id());
    assertEquals("", hf.answer());
    MrcItem orig =
        m.map(
            json(
                "{\"query\": \"q\", \"answers\": [\"short\"], \"wellFormedAnswers\": [\"A well formed answer.\"], "
                    + "\"passages\": [{\"passage_text\": \"a\"}]}"),
            AT);
    assertEquals(List.of("a"), orig.passages());
    assertEquals("A well formed answer.", orig.answer());
    assertThat(
        assertThrows(
                BadRecordException.class,
                () -> m.map(json("{\"query\": \"q\", \"passages\": []}"), AT))
            .getMessage(),
        containsString("'passages'"));
    assertThat(
        assertThrows(BadRecordException.class, () -> m.map(json("{\"passages\": []}"), AT))
            .getMessage(),
        containsString("'query'"));
  }

  private static Task task(String kind, boolean narration, boolean roleFirst, String answer) {
    Profile p = Fixtures.baker("r");
    MrcItem item =
        new MrcItem("i", "why does sourdough need a starter", List.of("p"), answer, AT, List.of());
    return new Task(
        new Matched(p, new Match(item, 2), new Match(item, 0)), kind, narration, roleFirst, 1);
  }

  @Test
  public void chatsAlternateFromTheRightSpeakerEndWithTheRoleAndKeepTheNarrationRule()
      throws Exception {
    Task t = task("free", true, false, "x");
    assertEquals(4, Stages.turns(S, t));
    assertEquals(3, Stages.turns(S, task("free", true, true, "x")));
    String ok =
        "{\"turns\": [{\"speaker\": \"user\", \"text\": \"Hi\"}, {\"speaker\": \"role\", \"text\": \"(waves) Hi\"},"
            + "{\"speaker\": \"user\", \"text\": \"Bread?\"}, {\"speaker\": \"role\", \"text\": \"Rye.\"}]}";
    assertNull(Stages.chatProblem(S, t, json(ok)));
    assertThat(
        Stages.chatProblem(S, task("free", false, false, "x"), json(ok)),
        containsString("speech only"));
    assertThat(
        Stages.chatProblem(S, task("free", true, true, "x"), json(ok)),
        containsString("exactly 3 turns"));
    String swapped = ok.replace("\"user\", \"text\": \"Bread?\"", "\"role\", \"text\": \"Bread?\"");
    assertThat(
        Stages.chatProblem(S, t, json(swapped)),
        containsString("turn 3 must be spoken by the user"));
  }

  @Test
  public void anAnswerCarriesTheReferenceAndARefusalDoesNotGiveItAway() throws Exception {
    String ref = "A starter holds the wild yeast and bacteria that raise the dough.";
    Task t = task("most", false, true, ref);
    assertNull(
        Stages.mrcProblem(
            t,
            json(
                "{\"answer\": \"Well, the starter holds wild yeast and bacteria to raise dough.\","
                    + "\"refusal\": \"I would rather not say.\"}")));
    assertThat(
        Stages.mrcProblem(t, json("{\"answer\": \"Who knows.\", \"refusal\": \"No.\"}")),
        containsString("\"answer\""));
    assertThat(
        Stages.mrcProblem(
            t,
            json(
                "{\"answer\": \""
                    + ref
                    + "\", \"refusal\": \"I won't say that it holds the wild yeast and "
                    + "bacteria that raise it.\"}")),
        containsString("must not give the answer"));
    // Beyond the role's knowledge (least relevant), the answer is an attempt: not held to the
    // reference.
    assertNull(
        Stages.mrcProblem(
            task("least", false, true, ref),
            json("{\"answer\": \"Maybe magic.\", \"refusal\": \"Not my trade.\"}")));
  }

  /** Each of the five rules, found by drawing over role ids, kept and broken. */
  @Test
  public void theNestedRulesContentAndFormatAreCheckedAsWritten() {
    String passage = "Starters hold wild yeast and lactic bacteria that raise the dough.";
    Map<String, String[]> keptBroken =
        Map.of(
            "by its number", new String[] {"It is the yeast [1].", "It is the yeast [3]."},
            "word for word",
                new String[] {
                  "As it says, \"starters hold wild yeast and\" more.", "It says \"wild yeast\"."
                },
            "at most 40 words", new String[] {"Short.", "word ".repeat(41).strip()},
            "begin your reply", new String[] {"Ada: yes.", "Yes, Ada."},
            "with a question", new String[] {"Is it?", "It is."});
    Set<String> seen = new TreeSet<>();
    Set<Boolean> kinds = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      Task t = task("r" + i, List.of(passage, "Ovens bake."));
      Stages.Rule rule = Stages.rule(S, t);
      assertThat("a sentence, the system turn's second", rule.text(), not(containsString(". ")));
      String key =
          keptBroken.keySet().stream().filter(rule.text()::contains).findFirst().orElseThrow();
      assertEquals(key, rule.content(), key.equals("by its number") || key.equals("word for word"));
      assertNull(rule.text(), Stages.ruleProblem(S, t, keptBroken.get(key)[0]));
      assertThat(Stages.ruleProblem(S, t, keptBroken.get(key)[1]), containsString(rule.text()));
      seen.add(key);
      kinds.add(rule.content());
    }
    assertEquals(keptBroken.keySet(), seen);
    assertEquals(Set.of(true, false), kinds);
  }

  private static Task task(String personaId, List<String> passages) {
    Profile p = Fixtures.baker(personaId);
    MrcItem item = new MrcItem("i", "why a starter", passages, "Yeast.", AT, List.of());
    return new Task(new Matched(p, new Match(item, 2), new Match(item, 0)), "most", false, true, 1);
  }
}
