package dev.rolesynth.prompt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.rolesynth.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** --promptDir templates are checked at launch against what their stage provides. */
public class TemplateCheckTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> DITTO = List.of("profile.system", "profile.user");

  @Test
  public void aTemplatesPlaceholdersAreTheVariablesItReads() {
    assertEquals(
        Map.of("name", "x", "fields", Map.of("key", "x", "value", "x"), "a.b", "x"),
        TemplateCheck.placeholders(
            "Hi {{name}}\n{{#fields}}- {{key}}: {{value}}\n{{/fields}}{{a.b}}"));
  }

  @Test
  public void aTranslationWithTheSameVariablesLoads() throws Exception {
    Path dir = tmp.newFolder("fr").toPath();
    Files.writeString(
        dir.resolve("profile.user.mustache"),
        "Personnage : {{name}} ({{lang}})\n"
            + "{{#description}}Description : {{description}}{{/description}}\n{{#fields}}- {{key}} : {{value}}\n{{/fields}}"
            + "Entre {{minFacts}} et {{maxFacts}} faits.");
    PromptBook book = PromptBook.load("ditto", dir.toString(), DITTO, List.of());
    assertThat(book.template("profile.user").text(), containsString("Personnage"));
  }

  @Test
  public void aVariableTheStageDoesNotProvideIsNamedWithItsFileAndLine() throws Exception {
    Path dir = tmp.newFolder("typo").toPath();
    Path file = dir.resolve("profile.user.mustache");
    Files.writeString(file, "Character: {{name}}\nLanguage: {{langauge}}\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> PromptBook.load("ditto", dir.toString(), DITTO, List.of()));
    assertThat(e.getMessage(), containsString(file.toString()));
    assertThat(e.getMessage(), containsString("langauge"));
    assertThat(e.getMessage(), containsString("line 2"));
    assertThat(e.getMessage(), containsString("the stage provides: "));
    assertThat(e.getMessage(), containsString("lang"));
  }

  @Test
  public void aMisspeltSectionIsAnErrorToo() throws Exception {
    Path dir = tmp.newFolder("section").toPath();
    Files.writeString(
        dir.resolve("profile.user.mustache"), "{{name}}\n{{#feilds}}- {{key}}\n{{/feilds}}");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> PromptBook.load("ditto", dir.toString(), DITTO, List.of()));
    assertThat(e.getMessage(), containsString("feilds"));
  }

  @Test
  public void aFileThatReplacesNoTemplateIsAnError() throws Exception {
    Path dir = tmp.newFolder("stray").toPath();
    Files.writeString(dir.resolve("profle.user.mustache"), "{{name}}");
    Files.writeString(dir.resolve("README.md"), "notes are fine");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> PromptBook.load("ditto", dir.toString(), DITTO, List.of()));
    assertThat(
        e.getMessage(), containsString("profle.user.mustache, which is no template of ditto"));
    assertThat(e.getMessage(), containsString("profile.user.mustache"));
  }

  @Test
  public void everyShippedTemplatePassesItsOwnCheck() throws Exception {
    int checked = 0;
    try (var files = Files.walk(Path.of("pipelines"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".mustache")).toList()) {
        String text = Files.readString(f);
        TemplateCheck.check(new PromptTemplate(f.getFileName().toString(), text), text);
        checked++;
      }
    }
    assertThat("templates found", checked > 20);
  }
}
