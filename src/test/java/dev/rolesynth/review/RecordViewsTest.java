package dev.rolesynth.review;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

/** Records of a schema the review has no view for still stratify and read as a chat. */
public class RecordViewsTest {
  private static final ObjectMapper M = new ObjectMapper();

  @Test
  public void anyRecordStratifiesByItsTaskAndReadsAsAChat() throws Exception {
    JsonNode sft = M.readTree("{\"task\": \"role_related_mrc_answer_no_narration\", \"conversations\": ["
        + "{\"role\": \"system\", \"content\": \"You are Ada.\"}, {\"role\": \"user\", \"content\": \"Why?\"},"
        + "{\"role\": \"assistant\", \"content\": \"Because.\"}]}");
    assertEquals("role_related_mrc_answer_no_narration", RecordViews.stratum("RoleMrcConversation", sft));
    assertEquals(3, RecordViews.transcript("RoleMrcConversation", sft).size());
    JsonNode dpo = M.readTree("{\"task\": \"t\", \"prompt\": [{\"role\": \"system\", \"content\": \"S\"},"
        + "{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": \"yes\", \"rejected\": \"no\"}");
    JsonNode t = RecordViews.transcript("RoleMrcPreference", dpo);
    assertEquals(4, t.size());
    assertEquals("chosen", t.get(2).path("note").asText());
    assertEquals("no", t.get(3).path("content").asText());
    assertEquals("all", RecordViews.stratum("Unknown", M.readTree("{\"x\": 1}")));
    assertEquals(false, RecordViews.facts(dpo).has("chosen"));
  }
}
