package dev.rolesynth.prompt;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TemplateReaderTest {
  private static final PromptTemplate T =
      new PromptTemplate(
          "t",
          "Profile:\n\"\"\"\n{{profile}}\n\"\"\"\n\nQuestion: {{query}}\n"
              + "Write {{turns}} turns as {{name}}; {{name}} speaks first.");

  @Test
  public void readsBackWhatATemplateWasRenderedWith() {
    Map<String, Object> in =
        Map.of(
            "profile",
            "1. Name: Ada\n2. Skills: \"quotes\", (parens) and $1 [brackets]",
            "query",
            "why? {{not a variable}}",
            "turns",
            6,
            "name",
            "Ada Lovelace");
    Map<String, String> back = TemplateReader.read(T, T.render(in));
    assertEquals(
        Map.of(
            "profile",
            in.get("profile"),
            "query",
            in.get("query"),
            "turns",
            "6",
            "name",
            "Ada Lovelace"),
        back);
  }

  @Test
  public void aPromptFromAnotherTemplateReadsNothing() {
    assertEquals(Map.of(), TemplateReader.read(T, "Personnage : Ada. Question : pourquoi ?"));
  }

  @Test
  public void sectionsAreNotReadButPlainVariablesAroundThemAre() {
    PromptTemplate t = new PromptTemplate("s", "Name: {{name}}\n{{#rule}}Rule: {{rule}}{{/rule}}");
    assertEquals(Map.of("name", "Ada"), TemplateReader.read(t, "Name: Ada"));
  }

  @Test
  public void aRenderedListOrAnInvertedSectionIsSkippedAndTheVariablesAroundItRead() {
    PromptTemplate t =
        new PromptTemplate(
            "l",
            "Chat of {{name}}:\n{{#history}}{{speaker}}: {{line}}\n{{/history}}"
                + "{{^history}}(nothing yet)\n{{/history}}Draw on {{aspect}}.");
    Map<String, Object> full =
        Map.of(
            "name",
            "Ada",
            "aspect",
            "hobby",
            "history",
            List.of(
                Map.of("speaker", "Bo", "line", "hi"), Map.of("speaker", "Ada", "line", "hey")));
    assertEquals(Map.of("name", "Ada", "aspect", "hobby"), TemplateReader.read(t, t.render(full)));
    Map<String, Object> empty = Map.of("name", "Ada", "aspect", "work", "history", List.of());
    assertEquals(Map.of("name", "Ada", "aspect", "work"), TemplateReader.read(t, t.render(empty)));
  }

  @Test
  public void aValueHoldingTheTextThatFollowsItIsReadAsTheShortestThatStillMatches() {
    PromptTemplate t = new PromptTemplate("r", "Q: {{q}} A: {{a}} End.");
    // The first " A: " ends q; the last " End." is the template's own, so a's may hold one too.
    assertEquals(
        Map.of("q", "why", "a", "because A: so End. really"),
        TemplateReader.read(t, "Q: why A: because A: so End. really End."));
    assertEquals(Map.of(), TemplateReader.read(t, "Q: why End."));
    assertEquals(Map.of(), TemplateReader.read(t, "Q: why A: because"));
  }
}
