package dev.rolesynth.beyond;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.HistoryPair;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Partner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SftRecordsTest {
  static List<Label> labels(String id) {
    return List.of(
        new Label(id, "character", "q", "a", "{}", List.of("stubborn"), null, null, null),
        new Label(id, "style", "q", "a", "{}", List.of("dry"), null, null, null),
        new Label(
            id,
            "emotion",
            "q",
            "a",
            "{}",
            List.of(),
            new Emotions(List.of(0, 0, 0, 9, 0, 0)),
            null,
            null),
        new Label(id, "relationship", "q", "a", "{}", List.of(), null, 3, null),
        new Label(id, "personality", "q", "a", "{}", List.of(), null, null, "ESTP"));
  }

  static Provenance provenance() {
    return new Provenance(
        "beyond-dialogue", "1", "m", "sim", true, Map.of(), 1L, "r", "f", 1L, 1, List.of());
  }

  @Test
  public void theLastRoleTurnIsTheTargetAndTheRestIsHistory() {
    Dialogue d =
        new Dialogue(
            "mira/p01",
            BdTasksTest.mira(),
            "scratch",
            new Partner("Tobin", "sailor"),
            "Storm.",
            List.of(
                new Line("Tobin", "a", ""),
                new Line("Mira Okonkwo", "b", ""),
                new Line("Tobin", "c", "waves"),
                new Line("Mira Okonkwo", "d", "")),
            null,
            null,
            null,
            8);
    Map<String, Label> all = SftRecords.complete(labels(d.key()));
    List<RolePlaySample> rp = SftRecords.rolePlay(BdTasksTest.settings(), d, all, provenance());
    assertEquals(
        List.of("aligned", "non_aligned"), rp.stream().map(RolePlaySample::getVariant).toList());
    for (RolePlaySample r : rp) {
      assertEquals("(waves) c", r.getInstruction());
      assertEquals("d", r.getOutput());
      assertEquals(List.of(new HistoryPair("a", "b")), r.getHistory());
      // Both carry what the dialogue shows about emotion and intimacy.
      assertThat(r.getSystem(), containsString("fear: 9"));
      assertThat(r.getSystem(), containsString("intimacy with Tobin is 3"));
    }
    assertThat(rp.get(0).getSystem(), containsString("character traits are stubborn."));
    assertThat(
        rp.get(0).getSystem(),
        containsString("Extraverted (E), Sensing (S), Thinking (T), Perceiving (P)"));
    assertThat(
        rp.get(1).getSystem(),
        containsString("character traits are patient, stubborn, observant."));
    assertThat(
        rp.get(1).getSystem(),
        containsString("Introverted (I), Sensing (S), Thinking (T), Judging (J)"));
  }

  @Test
  public void alpacaAndChatRenderings() throws Exception {
    RolePlaySample r =
        new RolePlaySample(
            "x",
            "d",
            "mira",
            "Mira",
            "aligned",
            "sys",
            "c",
            "",
            "d",
            List.of(new HistoryPair("a", "b")),
            provenance());
    var forms = BeyondDialoguePipeline.ROLE_PLAY.formats();
    JsonNode alpaca = new ObjectMapper().readTree(forms.get("alpaca").apply(r));
    assertEquals(
        "{\"instruction\":\"c\",\"input\":\"\",\"output\":\"d\",\"system\":\"sys\","
            + "\"history\":[[\"a\",\"b\"]]}",
        alpaca.toString());
    assertEquals(
        List.of("system:sys", "user:a", "assistant:b", "user:c", "assistant:d"),
        roles(forms.get("chat").apply(r)));
    AlignmentSample a =
        new AlignmentSample("y", "d", "mira", "emotion", "sys", "q", "", "{}", "a", provenance());
    var aligned = BeyondDialoguePipeline.ALIGNMENT.formats();
    assertEquals(
        "[]",
        new ObjectMapper().readTree(aligned.get("alpaca").apply(a)).get("history").toString());
    assertEquals(
        List.of("system:sys", "user:q", "assistant:{}"), roles(aligned.get("chat").apply(a)));
  }

  private static List<String> roles(String chat) throws Exception {
    List<String> roles = new ArrayList<>();
    new ObjectMapper()
        .readTree(chat)
        .get("messages")
        .forEach(m -> roles.add(m.get("role").asText() + ":" + m.get("content").asText()));
    return roles;
  }

  @Test
  public void aDialogueMissingALabelIsNotComplete() {
    assertNull(SftRecords.complete(labels("x").subList(0, 4)));
  }
}
