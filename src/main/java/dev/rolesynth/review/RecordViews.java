package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the review knows about each kind of record, by its Avro schema's name: the default strata that
 * say something about its method, and how it reads as a chat. Records of any other schema still
 * review: a stratum per value of their {@code task} field (one stratum without it), and a transcript
 * from their {@code messages} or {@code conversations} turns, or from a preference pair's
 * {@code prompt} turns followed by the chosen reply and the rejected one.
 */
public final class RecordViews {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Fields shown as the transcript, left out of the facts table. */
  private static final Set<String> TRANSCRIPT_FIELDS =
      Set.of("messages", "lines", "history", "rest", "systemPrompt", "system", "instruction", "input", "output",
          "question", "answer", "target", "rolePrompt", "conversations", "prompt", "chosen", "rejected");

  private static final Map<String, Function<JsonNode, String>> STRATA = Map.of(
      "DittoDialogue", RecordViews::dittoStratum,
      "ProfileDialogue", r -> "dialogues · " + r.path("mode").asText("?"),
      "RolePlaySample", r -> "roleplay · " + r.path("variant").asText("?"),
      "AlignmentSample", r -> "alignment · " + r.path("task").asText("?"),
      "PcipRecord", RecordViews::orcaStratum,
      "OrcaUser", r -> r.path("persona").asBoolean() ? "persona" : "user",
      "SelfPromptTuningSample", RecordViews::limaStratum,
      "LimaRoleSample", RecordViews::limaStratum,
      "SelfPromptSample", RecordViews::limaStratum);

  private RecordViews() {}

  /** The method's default stratum of a record of this schema. */
  public static String stratum(String schema, JsonNode record) {
    Function<JsonNode, String> f = STRATA.get(schema);
    if (f != null) {
      return f.apply(record);
    }
    return record.path("task").isTextual() ? record.get("task").asText() : "all";
  }

  /** Ditto: for each query type in the dialogue, whether the role declined any of its questions. */
  static String dittoStratum(JsonNode r) {
    Map<String, Boolean> declined = new TreeMap<>();
    for (JsonNode t : r.path("turns")) {
      declined.merge(t.path("queryType").asText().toLowerCase().replace('_', '-'), t.path("declined").asBoolean(),
          Boolean::logicalOr);
    }
    StringBuilder s = new StringBuilder();
    declined.forEach((type, d) -> s.append(s.length() == 0 ? "" : " · ").append(type).append(d ? " declined" : " answered"));
    return s.length() == 0 ? "no turns" : s.toString();
  }

  /** Orca: a reply or a post, and which of profile, personality and knowledge it relates to. */
  static String orcaStratum(JsonNode r) {
    Set<String> sections = new TreeSet<>();
    if (r.path("profileRelated").asBoolean()) {
      sections.add("profile");
    }
    if (r.path("personalityRelated").asBoolean()) {
      sections.add("personality");
    }
    if (r.path("knowledgeRelated").asBoolean()) {
      sections.add("knowledge");
    }
    return (r.path("isReply").asBoolean() ? "reply" : "post") + " · "
        + (sections.isEmpty() ? "no section" : String.join("+", sections));
  }

  /** LIMA-Role: the Jekyll &amp; Hyde judge's verdict (role, neutral or tie), or unjudged. */
  static String limaStratum(JsonNode r) {
    JsonNode judge = r.path("judge");
    return judge.isObject() ? "judge: " + judge.path("winner").asText("?") : "unjudged";
  }

  /** The record as a chat: {role, content, note} turns, the system prompt first where there is one. */
  public static ArrayNode transcript(String schema, JsonNode r) {
    ArrayNode out = MAPPER.createArrayNode();
    switch (schema) {
      case "DittoDialogue" -> {
        if (!r.at("/messages/0/role").asText().equals("system")) {
          turn(out, "system", r.path("systemPrompt").asText(""), null);
        }
        Iterator<JsonNode> info = r.path("turns").elements();
        for (JsonNode m : r.path("messages")) {
          String note = null;
          if (m.path("role").asText().equals("assistant") && info.hasNext()) {
            JsonNode t = info.next();
            note = t.path("queryType").asText() + (t.path("expectRefusal").asBoolean() ? ", refusal expected" : "")
                + (t.path("declined").asBoolean() ? ", declined" : ", answered") + judgeNote(t.path("judge"));
          }
          turn(out, m.path("role").asText(), m.path("content").asText(), note);
        }
      }
      case "ProfileDialogue" -> {
        turn(out, "system", r.path("scene").asText(""), "scene");
        String role = r.path("roleName").asText();
        for (JsonNode l : r.path("lines")) {
          String who = l.path("speaker").asText();
          String action = l.path("action").asText("");
          turn(out, who.equals(role) ? "assistant" : "user", who + ": " + l.path("text").asText()
              + (action.isEmpty() ? "" : " (" + action + ")"), null);
        }
      }
      case "RolePlaySample", "AlignmentSample", "PcipRecord" -> {
        turn(out, "system", r.path("system").asText(""), null);
        for (JsonNode h : r.path("history")) {
          turn(out, "user", h.path("user").asText(), null);
          turn(out, "assistant", h.path("assistant").asText(), null);
        }
        String input = r.path("input").asText("");
        turn(out, "user", r.path("instruction").asText("") + (input.isEmpty() ? "" : "\n\n" + input), null);
        turn(out, "assistant", r.path("output").asText(""), null);
      }
      case "SelfPromptTuningSample", "LimaRoleSample" -> {
        turn(out, "system", r.path("system").asText(""), null);
        turn(out, "user", r.path("question").asText(""), null);
        String answer = schema.equals("LimaRoleSample") ? r.path("answer").asText("") : r.path("target").asText("");
        turn(out, "assistant", answer, schema.equals("LimaRoleSample") ? "role prompt: " + r.path("rolePrompt").asText() : null);
        for (JsonNode m : r.path("rest")) {
          turn(out, m.path("role").asText(), m.path("content").asText(), null);
        }
      }
      case "SelfPromptSample" -> {
        turn(out, "user", r.path("question").asText(""), null);
        turn(out, "assistant", r.path("rolePrompt").asText(""), "self-prompt for the role: " + r.path("role").asText());
      }
      default -> {
        r.path("messages").forEach(m -> turn(out, m.path("role").asText(), m.path("content").asText(), null));
        r.path("conversations").forEach(m -> turn(out, m.path("role").asText(), m.path("content").asText(), null));
        if (r.path("chosen").isTextual() && r.path("prompt").isArray()) {
          r.get("prompt").forEach(m -> turn(out, m.path("role").asText(), m.path("content").asText(), null));
          turn(out, "assistant", r.get("chosen").asText(), "chosen");
          turn(out, "assistant", r.path("rejected").asText(""), "rejected (the pair's other side)");
        }
      }
    }
    return out;
  }

  private static String judgeNote(JsonNode j) {
    if (!j.isObject()) {
      return "";
    }
    String s = "; judges: identity " + (j.path("identityCorrect").asBoolean() ? "right" : "wrong")
        + ", refusal " + j.path("refusal").asInt();
    return j.path("knowledgeScore").isNumber() ? s + ", knowledge " + j.path("knowledgeScore").asDouble() : s;
  }

  private static void turn(ArrayNode out, String role, String content, String note) {
    if (content.isEmpty() && !role.equals("assistant")) {
      return;
    }
    ObjectNode t = out.addObject().put("role", role).put("content", content);
    if (note != null) {
      t.put("note", note);
    }
  }

  /** Everything but the transcript, long texts clipped: provenance and the method's own fields. */
  public static ObjectNode facts(JsonNode r) {
    ObjectNode out = MAPPER.createObjectNode();
    r.fields().forEachRemaining(e -> {
      if (!TRANSCRIPT_FIELDS.contains(e.getKey()) && !e.getKey().equals("turns")) {
        out.set(e.getKey(), clip(e.getValue()));
      }
    });
    return out;
  }

  private static JsonNode clip(JsonNode n) {
    if (n.isTextual() && n.asText().length() > 400) {
      return MAPPER.getNodeFactory().textNode(n.asText().substring(0, 400) + "…");
    }
    if (n.isObject()) {
      ObjectNode o = MAPPER.createObjectNode();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), clip(e.getValue())));
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = MAPPER.createArrayNode();
      n.forEach(x -> a.add(clip(x)));
      return a;
    }
    return n;
  }
}
