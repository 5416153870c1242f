package dev.rolesynth.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.rolesynth.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * A method's own options: named and typed by a record, described by its pipeline.yaml, read from
 * the command line, checked, and carried to the workers as one option.
 */
public class KnobsTest {
  record TestKnobs(int scenes, double share, boolean judge, String mode, String note) {}

  record Undeclared(int scenes, int more) {}

  record Clashing(int seed) {}

  private static String error(String... args) {
    return assertThrows(
            ConfigException.class, () -> Knobs.parseArgs("knobstest", TestKnobs.class, args))
        .getMessage();
  }

  @Test
  public void defaultsFromTheYamlAndValuesFromTheCommandLine() {
    assertEquals(
        new TestKnobs(3, 0.5, false, "mixed", ""),
        Knobs.parse("knobstest", TestKnobs.class, Map.of()));
    RolesynthOptions o =
        Knobs.parseArgs(
            "knobstest", TestKnobs.class, "--scenes=7", "--judge", "--mode=WITH", "--seed=9");
    assertEquals(9, o.getSeed());
    assertEquals(
        new TestKnobs(7, 0.5, true, "with", ""), Knobs.of(o, "knobstest", TestKnobs.class));
    assertEquals(
        "{\"scenes\":7,\"share\":0.5,\"judge\":true,\"mode\":\"with\",\"note\":\"\"}",
        o.getKnobs());
  }

  @Test
  public void badValuesAreConfigErrorsNamingTheOption() {
    assertEquals("--scenes must be between 1 and 30, got 0", error("--scenes=0"));
    assertEquals("--scenes must be a whole number, got 'three'", error("--scenes=three"));
    assertEquals("--share must be a number, got 'half'", error("--share=half"));
    assertEquals("--judge must be true or false, got 'yes'", error("--judge=yes"));
    assertEquals("--mode must be mixed, with or none, got 'sometimes'", error("--mode=sometimes"));
  }

  @Test
  public void theRecordAndTheYamlMustDeclareTheSameOptions() {
    String e =
        assertThrows(
                ConfigException.class, () -> Knobs.parse("knobstest", Undeclared.class, Map.of()))
            .getMessage();
    assertThat(e, containsString("pipelines/knobstest/pipeline.yaml: options: must declare"));
    String clash =
        assertThrows(
                ConfigException.class, () -> Knobs.parse("knobclash", Clashing.class, Map.of()))
            .getMessage();
    assertThat(clash, containsString("option seed is an option of every pipeline"));
  }

  @Test
  public void helpShowsTypeDefaultRangeAndChoices() {
    Map<String, String[]> help = Knobs.help("knobstest", TestKnobs.class);
    assertEquals(List.of("scenes", "share", "judge", "mode", "note"), List.copyOf(help.keySet()));
    assertEquals("int", help.get("scenes")[0]);
    assertEquals("scenes per character (default: 3, between 1 and 30)", help.get("scenes")[1]);
    assertEquals("how (default: mixed, one of [\"mixed\",\"with\",\"none\"])", help.get("mode")[1]);
    assertEquals("anything (default: empty)", help.get("note")[1]);
  }
}
