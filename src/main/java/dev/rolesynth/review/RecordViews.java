package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.prompt.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * What the review knows about each kind of record, by its Avro schema's name: what its pipeline's
 * {@code review.yaml} declares (strata and how it reads as a chat). Records of any other schema
 * still review: a stratum per value of their {@code task} field (one stratum without it), and a
 * transcript from their {@code messages} or {@code conversations} turns, or from a preference
 * pair's {@code prompt} turns followed by the chosen reply and the rejected one.
 */
public final class RecordViews {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Fields shown as the transcript, left out of the facts table. */
  private static final Set<String> TRANSCRIPT_FIELDS =
      Set.of(
          "messages",
          "lines",
          "history",
          "rest",
          "systemPrompt",
          "system",
          "instruction",
          "input",
          "output",
          "question",
          "answer",
          "target",
          "rolePrompt",
          "conversations",
          "prompt",
          "chosen",
          "rejected");

  /** The views the pipelines declare, by the Avro record names they read. */
  private static final Map<String, View> VIEWS = load();

  private RecordViews() {}

  /**
   * A kind of record as its pipeline's {@code review.yaml} declares it: jq filters giving its
   * default stratum and its chat turns ({@code [{role, content, note}]}), after the file's {@code
   * defs}.
   */
  record View(String file, String stratum, String transcript) {}

  private static Map<String, View> load() {
    Map<String, View> out = new HashMap<>();
    for (RolePipeline<?> p :
        ServiceLoader.load(RolePipeline.class, RecordViews.class.getClassLoader())) {
      String file = "pipelines/" + p.name() + "/review.yaml";
      JsonNode declared = Resources.yaml(file, true);
      String defs = declared.path("defs").asText("") + "\n";
      declared
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("defs")) {
                  return;
                }
                String stratum = defs + e.getValue().path("stratum").asText("");
                String transcript = defs + e.getValue().path("transcript").asText("");
                if (!e.getValue().hasNonNull("stratum") || !e.getValue().hasNonNull("transcript")) {
                  throw new ConfigException(
                      file + ": " + e.getKey() + " needs a stratum and a transcript (jq)");
                }
                if (out.put(e.getKey(), new View(file, stratum, transcript)) != null) {
                  throw new IllegalStateException("two review views read " + e.getKey());
                }
              });
    }
    return Map.copyOf(out);
  }

  /** The method's default stratum of a record of this schema. */
  public static String stratum(String schema, JsonNode record) {
    View v = VIEWS.get(schema);
    if (v != null) {
      List<JsonNode> s = JqForm.run(v.file() + " (" + schema + ".stratum)", v.stratum(), record);
      return s.isEmpty() ? "all" : s.get(0).asText();
    }
    return record.path("task").isTextual() ? record.get("task").asText() : "all";
  }

  /**
   * The record as a chat: {role, content, note} turns, the system prompt first where there is one.
   */
  public static ArrayNode transcript(String schema, JsonNode r) {
    ArrayNode out = MAPPER.createArrayNode();
    Transcript t = new Transcript(out);
    View v = VIEWS.get(schema);
    if (v != null) {
      for (JsonNode turns :
          JqForm.run(v.file() + " (" + schema + ".transcript)", v.transcript(), r)) {
        turns.forEach(
            x ->
                t.turn(
                    x.path("role").asText(),
                    x.path("content").asText(""),
                    x.path("note").isTextual() ? x.get("note").asText() : null));
      }
      return out;
    }
    t.turns(r.path("messages")).turns(r.path("conversations"));
    if (r.path("chosen").isTextual() && r.path("prompt").isArray()) {
      t.turns(r.get("prompt"));
      t.turn("assistant", r.get("chosen").asText(), "chosen");
      t.turn("assistant", r.path("rejected").asText(""), "rejected (the pair's other side)");
    }
    return out;
  }

  /** Everything but the transcript, long texts clipped: provenance and the method's own fields. */
  public static ObjectNode facts(JsonNode r) {
    ObjectNode out = MAPPER.createObjectNode();
    r.fields()
        .forEachRemaining(
            e -> {
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
