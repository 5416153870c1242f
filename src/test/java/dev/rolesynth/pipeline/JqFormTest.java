package dev.rolesynth.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.ConfigException;
import dev.rolesynth.avro.ChatTurn;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

/** A dataset's form as a jq filter: keys in the filter's order, one line a value, errors named. */
public class JqFormTest {
  private static final ChatTurn TURN = new ChatTurn("user", "Say \"hi\"\nto Zoë");

  @Test
  public void rendersTheRecordInTheFiltersKeyOrderAsCompactJson() {
    JqForm form = JqForm.of("jqtest", "turn.jq");
    assertEquals("{\"said\":\"Say \\\"hi\\\"\\nto Zoë\",\"who\":\"user\"}", form.apply(TURN));
  }

  @Test
  public void eachValueTheFilterYieldsIsOneLine() {
    assertEquals(
        "\"user\"\n\"Say \\\"hi\\\"\\nto Zoë\"", JqForm.of("jqtest", "lines.jq").apply(TURN));
  }

  @Test
  public void turnsBecomeChatAndAlpacaRecordsEndingOnTheAssistant() {
    JqForm turns = JqForm.of("jqtest", "turns.jq");
    assertEquals(
        "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"a\"},"
            + "{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"c\"},"
            + "{\"role\":\"user\",\"content\":\"d\"},{\"role\":\"assistant\",\"content\":\"e\"}]}",
        turns.then("chat").apply(TURN));
    assertEquals(
        "{\"instruction\":\"d\",\"input\":\"\",\"output\":\"e\",\"system\":\"s\","
            + "\"history\":[[\"a\\nb\",\"c\"]]}",
        turns.then("alpaca").apply(TURN));
    IllegalStateException none =
        assertThrows(
            IllegalStateException.class,
            () -> JqForm.of("jqtest", "asked.jq").then("alpaca").apply(TURN));
    assertTrue(none.getMessage(), none.getMessage().contains("needs an assistant turn"));
  }

  @Test
  public void survivesSerializationAsTheRunnersShipIt() {
    JqForm copy = SerializableUtils.clone(JqForm.of("jqtest", "turn.jq"));
    assertTrue(copy.apply(TURN).startsWith("{\"said\":"));
  }

  @Test
  public void aFilterThatDoesNotParseFailsWhenDeclaredNamingItsFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> JqForm.of("jqtest", "broken.jq"));
    assertTrue(
        e.getMessage(),
        e.getMessage().startsWith("pipelines/jqtest/forms/broken.jq is not a jq filter"));
    ConfigException missing =
        assertThrows(ConfigException.class, () -> JqForm.of("jqtest", "absent.jq"));
    assertTrue(
        missing.getMessage(), missing.getMessage().contains("pipelines/jqtest/forms/absent.jq"));
  }

  @Test
  public void aFilterThatFailsOnARecordNamesItsFile() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> JqForm.of("jqtest", "fails.jq").apply(TURN));
    assertTrue(
        e.getMessage(),
        e.getMessage().startsWith("pipelines/jqtest/forms/fails.jq failed on a record"));
  }
}
