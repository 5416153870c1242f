package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Test;

public class JsonAnswersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void schemasNarrowedPerRecordDoNotAccumulate() throws Exception {
    // A stage that puts each role's names in an enum makes a new schema per record.
    for (int i = 0; i < 3000; i++) {
      ObjectNode schema =
          (ObjectNode)
              MAPPER.readTree(
                  "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"enum\":[\"role "
                      + i
                      + "\"]}}}");
      assertNull(JsonAnswers.violations(schema, MAPPER.readTree("{\"name\":\"role " + i + "\"}")));
      assertTrue(
          JsonAnswers.violations(schema, MAPPER.readTree("{\"name\":\"someone else\"}")) != null);
    }
    assertEquals(512, JsonAnswers.compiledSchemas());
  }
}
