package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Stage 9: the five CSERP alignment tasks. Each answers with brief reasoning, then JSON; tag
 * answers are limited to the role's own tags, MBTI letters are checked against their pairs.
 */
final class AlignTasks {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlignTasks() {}

  static Stage<Dialogue, Label> align(BeyondDialogueSettings s, String task) {
    if (!Bd.TASKS.contains(task)) {
      throw new IllegalArgumentException("unknown alignment task " + task);
    }
    String stage = "bd_align_" + task;
    return Stage.<Dialogue>chatting(
            stage,
            s,
            d ->
                List.of(
                    ChatMessage.system(s.system(stage, BdTasks.context(d.profile()))),
                    ChatMessage.user(instruction(s, task, d))))
        .giving((d, j) -> label(s, task, d, j))
        .calledAs(d -> d.key() + "/" + stage)
        .adjusting((d, r) -> r.withSchema(schema(s, task, d)))
        .checkedBy((d, a) -> problem(task, d, a));
  }

  private static List<String> candidates(String task, Dialogue d) {
    return task.equals("character") ? d.profile().character() : d.profile().style();
  }

  static String instruction(BeyondDialogueSettings s, String task, Dialogue d) {
    Map<String, Object> ctx = BdSourceTasks.dialogueContext(d);
    if (task.equals("character") || task.equals("style")) {
      ctx.put("candidates", String.join(", ", candidates(task, d)));
    }
    return s.render(s.stage("bd_align_" + task).user(), ctx);
  }

  private static JsonNode schema(BeyondDialogueSettings s, String task, Dialogue d) {
    switch (task) {
      case "character", "style" -> {
        ObjectNode schema = s.schema("align_tags").deepCopy();
        ObjectNode props = (ObjectNode) schema.get("properties");
        ObjectNode tags = (ObjectNode) props.remove("tags");
        ArrayNode allowed = ((ObjectNode) tags.get("items")).putArray("enum");
        candidates(task, d).forEach(allowed::add);
        tags.put("maxItems", candidates(task, d).size());
        props.set(task, tags);
        schema.putArray("required").add("analysis").add(task);
        schema.put("title", "bd_align_" + task);
        return schema;
      }
      case "emotion" -> {
        return s.schema("emotion");
      }
      case "relationship" -> {
        return s.schema("relationship");
      }
      default -> {
        return s.schema("align_personality");
      }
    }
  }

  private static String problem(String task, Dialogue d, JsonNode a) {
    switch (task) {
      case "character", "style" -> {
        Set<String> allowed = new LinkedHashSet<>();
        candidates(task, d).forEach(c -> allowed.add(norm(c)));
        for (JsonNode t : a.get(task)) {
          if (allowed.contains(norm(t.asText()))) {
            return null;
          }
        }
        return "choose at least one of the given "
            + task
            + " tags, exactly as written: "
            + String.join(", ", candidates(task, d));
      }
      case "personality" -> {
        return Profiles.mbtiProblem(a.get("personality").asText());
      }
      default -> {
        return null;
      }
    }
  }

  private static Label label(BeyondDialogueSettings s, String task, Dialogue d, JsonNode j) {
    ObjectNode answer = MAPPER.createObjectNode();
    List<String> tags = List.of();
    Emotions emotions = null;
    Integer relationship = null;
    String mbti = null;
    switch (task) {
      case "character", "style" -> {
        Map<String, String> allowed = new LinkedHashMap<>();
        candidates(task, d).forEach(c -> allowed.put(norm(c), c));
        Set<String> kept = new LinkedHashSet<>();
        j.get(task)
            .forEach(
                t -> {
                  String c = allowed.get(norm(t.asText()));
                  if (c != null) {
                    kept.add(c);
                  }
                });
        tags = new ArrayList<>(kept);
        var list = answer.putArray(task);
        tags.forEach(list::add);
      }
      case "emotion" -> {
        emotions = BdTasks.emotions(j);
        emotions.asMap().forEach(answer::put);
      }
      case "relationship" -> {
        relationship = j.get("relationship").asInt();
        answer.put("relationship", relationship);
      }
      default -> {
        mbti = Answers.text(j, "personality").toUpperCase(Locale.ROOT);
        answer.put("personality", mbti);
      }
    }
    return new Label(
        d.key(),
        task,
        instruction(s, task, d),
        Answers.text(j, "analysis"),
        answer.toString(),
        tags,
        emotions,
        relationship,
        mbti);
  }

  private static String norm(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
