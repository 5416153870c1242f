package dev.rolesynth.review;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.Test;

public class SampleSpecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  @Test
  public void theHashDependsOnSeedDatasetAndIdOnly() {
    SampleSpec a = new SampleSpec(7, 10, true, List.of());
    assertEquals(
        a.hash("dialogues", "r1"),
        new SampleSpec(7, 99, false, List.of("x")).hash("dialogues", "r1"));
    assertNotEquals(
        a.hash("dialogues", "r1"), new SampleSpec(8, 10, true, List.of()).hash("dialogues", "r1"));
    assertNotEquals(a.hash("dialogues", "r1"), a.hash("roleplay", "r1"));
  }

  @Test
  public void dittoStrataAreQueryTypeByDeclined() throws Exception {
    JsonNode d =
        json(
            "{\"turns\":[{\"queryType\":\"IN_KNOWLEDGE\",\"declined\":false},"
                + "{\"queryType\":\"CONTRASTIVE\",\"declined\":true},{\"queryType\":\"IN_KNOWLEDGE\",\"declined\":true}]}");
    assertEquals(
        "contrastive declined · in-knowledge declined", RecordViews.stratum("DittoDialogue", d));
    JsonNode answered = json("{\"turns\":[{\"queryType\":\"CONTRASTIVE\",\"declined\":false}]}");
    assertEquals("contrastive answered", RecordViews.stratum("DittoDialogue", answered));
  }

  @Test
  public void methodStrataForTheOtherPipelines() throws Exception {
    assertEquals(
        "reply · knowledge+profile",
        RecordViews.stratum(
            "PcipRecord",
            json("{\"isReply\":true,\"profileRelated\":true,\"knowledgeRelated\":true}")));
    assertEquals(
        "post · no section", RecordViews.stratum("PcipRecord", json("{\"isReply\":false}")));
    assertEquals(
        "judge: role",
        RecordViews.stratum("LimaRoleSample", json("{\"judge\":{\"winner\":\"role\"}}")));
    assertEquals("unjudged", RecordViews.stratum("LimaRoleSample", json("{\"judge\":null}")));
    assertEquals(
        "roleplay · aligned",
        RecordViews.stratum("RolePlaySample", json("{\"variant\":\"aligned\"}")));
    assertEquals("all", RecordViews.stratum("SomethingElse", json("{}")));
  }

  @Test
  public void byFieldPathsReadThroughArraysAndNesting() throws Exception {
    SampleSpec by = new SampleSpec(0, 5, true, List.of("provenance.model", "turns.queryType"));
    JsonNode r =
        json(
            "{\"provenance\":{\"model\":\"m1\"},\"turns\":[{\"queryType\":\"B\"},{\"queryType\":\"A\"},{\"queryType\":\"B\"}]}");
    assertEquals(
        "provenance.model=m1 · turns.queryType=A+B", by.stratum("dialogues", "DittoDialogue", r));
    assertEquals(
        "provenance.model=(none) · turns.queryType=(none)",
        by.stratum("dialogues", "DittoDialogue", json("{}")));
    assertEquals(
        "answer: invalid_answer",
        by.stratum(
            SampleSpec.DEAD_LETTERS,
            "DeadLetter",
            json("{\"stage\":\"answer\",\"reason\":\"invalid_answer\"}")));
  }

  @Test
  public void tokenBucketsAreOrderedAndBounded() {
    assertEquals("0000-0049", Observations.bucket(0));
    assertEquals("0950-0999", Observations.bucket(999));
    assertEquals("1000-1249", Observations.bucket(1000));
    assertEquals("4000+", Observations.bucket(12000));
  }

  @Test
  public void pageDataCannotCloseItsScriptElement() {
    String json = "{\"t\":\"</script><img src=x onerror=alert(1)>\\u2028\"}";
    String safe = ReviewPage.escapeForScript(json);
    assertEquals(-1, safe.indexOf('<'));
    assertEquals(json.replace("<", "\\u003c"), safe);
  }
}
