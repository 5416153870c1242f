package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.review.RecordView;
import dev.rolesynth.review.Transcript;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Ditto's dialogues in the review: strata by query type and refusal; each answer noted with its
 * query.
 */
@AutoService(RecordView.class)
public final class DittoView implements RecordView {
  @Override
  public Set<String> schemas() {
    return Set.of("DittoDialogue");
  }

  /** For each query type in the dialogue, whether the role declined any of its questions. */
  @Override
  public String stratum(String schema, JsonNode r) {
    Map<String, Boolean> declined = new TreeMap<>();
    for (JsonNode t : r.path("turns")) {
      declined.merge(
          t.path("queryType").asText().toLowerCase().replace('_', '-'),
          t.path("declined").asBoolean(),
          Boolean::logicalOr);
    }
    StringBuilder s = new StringBuilder();
    declined.forEach(
        (type, d) ->
            s.append(s.length() == 0 ? "" : " · ")
                .append(type)
                .append(d ? " declined" : " answered"));
    return s.length() == 0 ? "no turns" : s.toString();
  }

  @Override
  public void transcript(String schema, JsonNode r, Transcript out) {
    if (!r.at("/messages/0/role").asText().equals("system")) {
      out.turn("system", r.path("systemPrompt").asText(""), null);
    }
    Iterator<JsonNode> info = r.path("turns").elements();
    for (JsonNode m : r.path("messages")) {
      String note = null;
      if (m.path("role").asText().equals("assistant") && info.hasNext()) {
        JsonNode t = info.next();
        note =
            t.path("queryType").asText()
                + (t.path("expectRefusal").asBoolean() ? ", refusal expected" : "")
                + (t.path("declined").asBoolean() ? ", declined" : ", answered")
                + judgeNote(t.path("judge"));
      }
      out.turn(m.path("role").asText(), m.path("content").asText(), note);
    }
  }

  private static String judgeNote(JsonNode j) {
    if (!j.isObject()) {
      return "";
    }
    String s =
        "; judges: identity "
            + (j.path("identityCorrect").asBoolean() ? "right" : "wrong")
            + ", refusal "
            + j.path("refusal").asInt();
    return j.path("knowledgeScore").isNumber()
        ? s + ", knowledge " + j.path("knowledgeScore").asDouble()
        : s;
  }
}
