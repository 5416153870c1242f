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
    JsonNode sft =
        M.readTree(
            "{\"task\": \"role_related_mrc_answer_no_narration\", \"conversations\": ["
                + "{\"role\": \"system\", \"content\": \"You are Ada.\"}, {\"role\": \"user\", \"content\": \"Why?\"},"
                + "{\"role\": \"assistant\", \"content\": \"Because.\"}]}");
    assertEquals(
        "role_related_mrc_answer_no_narration", RecordViews.stratum("RoleMrcConversation", sft));
    assertEquals(3, RecordViews.transcript("RoleMrcConversation", sft).size());
    JsonNode dpo =
        M.readTree(
            "{\"task\": \"t\", \"prompt\": [{\"role\": \"system\", \"content\": \"S\"},"
                + "{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": \"yes\", \"rejected\": \"no\"}");
    JsonNode t = RecordViews.transcript("RoleMrcPreference", dpo);
    assertEquals(4, t.size());
    assertEquals("chosen", t.get(2).path("note").asText());
    assertEquals("no", t.get(3).path("content").asText());
    assertEquals("all", RecordViews.stratum("Unknown", M.readTree("{\"x\": 1}")));
    assertEquals(false, RecordViews.facts(dpo).has("chosen"));
  }

  /**
   * The methods' own views, found by registration: each reads its records as its method shapes
   * them.
   */
  @Test
  public void theMethodsViewsReadTheirOwnRecordShapes() throws Exception {
    JsonNode pcip =
        M.readTree(
            "{\"system\": \"You are Ada.\", \"history\": [{\"user\": \"Hi\", \"assistant\": \"Hello\"}],"
                + " \"instruction\": \"Why?\", \"input\": \"a post\", \"output\": \"Because.\", \"isReply\": true}");
    JsonNode t = RecordViews.transcript("PcipRecord", pcip);
    assertEquals(5, t.size());
    assertEquals("Why?\n\na post", t.get(3).path("content").asText());
    assertEquals("reply · no section", RecordViews.stratum("PcipRecord", pcip));
    JsonNode lima =
        M.readTree(
            "{\"system\": \"S\", \"question\": \"Q\", \"answer\": \"A\", \"rolePrompt\": \"P\","
                + " \"rest\": [{\"role\": \"user\", \"content\": \"more\"}], \"judge\": {\"winner\": \"tie\"}}");
    JsonNode l = RecordViews.transcript("LimaRoleSample", lima);
    assertEquals(4, l.size());
    assertEquals("role prompt: P", l.get(2).path("note").asText());
    assertEquals("judge: tie", RecordViews.stratum("LimaRoleSample", lima));
    JsonNode dialogue =
        M.readTree(
            "{\"scene\": \"A park.\", \"roleName\": \"Ada\", \"mode\": \"scratch\", \"lines\": ["
                + "{\"speaker\": \"Bob\", \"text\": \"Hi\"}, {\"speaker\": \"Ada\", \"text\": \"Hello\", \"action\": \"waves\"}]}");
    JsonNode d = RecordViews.transcript("ProfileDialogue", dialogue);
    assertEquals("assistant", d.get(2).path("role").asText());
    assertEquals("Ada: Hello (waves)", d.get(2).path("content").asText());
    assertEquals("dialogues · scratch", RecordViews.stratum("ProfileDialogue", dialogue));
    JsonNode ditto =
        M.readTree(
            "{\"systemPrompt\": \"You are Ada.\", \"messages\": [{\"role\": \"user\", \"content\": \"Q1\"},"
                + " {\"role\": \"assistant\", \"content\": \"A1\"}, {\"role\": \"user\", \"content\": \"Q2\"},"
                + " {\"role\": \"assistant\", \"content\": \"No idea.\"}], \"turns\": ["
                + "{\"queryType\": \"IN_KNOWLEDGE\", \"declined\": false, \"expectRefusal\": false,"
                + " \"judge\": {\"identityCorrect\": true, \"refusal\": 1, \"knowledgeScore\": 7.5}},"
                + "{\"queryType\": \"CONTRASTIVE\", \"declined\": true, \"expectRefusal\": true}]}");
    assertEquals(
        "contrastive declined · in-knowledge answered",
        RecordViews.stratum("DittoDialogue", ditto));
    JsonNode dt = RecordViews.transcript("DittoDialogue", ditto);
    assertEquals(5, dt.size());
    assertEquals("You are Ada.", dt.get(0).path("content").asText());
    assertEquals(
        "IN_KNOWLEDGE, answered; judges: identity right, refusal 1, knowledge 7.5",
        dt.get(2).path("note").asText());
    assertEquals("CONTRASTIVE, refusal expected, declined", dt.get(4).path("note").asText());
    assertEquals(false, dt.get(3).has("note"));
  }
}
