package dev.rolesynth.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.SimsChatLine;
import dev.rolesynth.avro.SimsPersonal;
import java.util.List;
import org.junit.Test;

/** Template variables and Avro records read from a method's records by component name. */
public class ByNameTest {
  record Person(String name, List<String> traits, Pet pet) {}

  record Pet(String name, String kind) {}

  record Scene(Person person, String place, Pet visitor) {}

  @Test
  public void readsComponentsOuterFirstAndJoinsTextLists() {
    var scene =
        new Scene(
            new Person("Ada", List.of("calm", "curious"), new Pet("Rex", "dog")),
            "park",
            new Pet("Tom", "cat"));
    Vars v = Vars.of(scene).with("extra", 3).with("place", "garden");
    assertEquals("nearer records win", "Ada", v.get("name"));
    assertEquals("calm, curious", v.get("traits"));
    assertEquals("the visitor is nearer than the pet", "cat", v.get("kind"));
    assertEquals("pairs replace", "garden", v.get("place"));
    assertEquals(3, v.get("extra"));
    assertTrue("records are read, not kept", !v.containsKey("person") && !v.containsKey("pet"));
  }

  record Turn(String role, String content) {}

  record Said(String role, String action, String content, List<Turn> turns) {}

  @Test
  public void fillsAvroRecordsByFieldNameAndNamesAMissingField() {
    SimsChatLine line =
        AvroRecords.from(new Said("Ada", "(speaking)", "Hi", List.of())).as(SimsChatLine.class);
    assertEquals("Ada", line.getRole());
    assertEquals("Hi", line.getContent());
    ChatTurn t = AvroRecords.from(new Turn("user", "x")).with("content", "y").as(ChatTurn.class);
    assertEquals("pairs win over components", "y", t.getContent());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AvroRecords.from(new Turn("user", "x")).as(SimsPersonal.class));
    assertTrue(e.getMessage(), e.getMessage().contains("SimsPersonal.gender"));
    var notText =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AvroRecords.from(new Turn("user", "x"))
                    .with("content", new Turn("a", "b"))
                    .as(ChatTurn.class));
    assertTrue(notText.getMessage(), notText.getMessage().contains("ChatTurn.content: a Turn"));
  }
}
