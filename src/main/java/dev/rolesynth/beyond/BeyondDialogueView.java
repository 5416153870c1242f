package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.review.RecordView;
import dev.rolesynth.review.Transcript;
import java.util.Set;

/**
 * Beyond Dialogue's records in the review: dialogues by mode, samples by variant or alignment task.
 */
@AutoService(RecordView.class)
public final class BeyondDialogueView implements RecordView {
  @Override
  public Set<String> schemas() {
    return Set.of("ProfileDialogue", "RolePlaySample", "AlignmentSample");
  }

  @Override
  public String stratum(String schema, JsonNode r) {
    return switch (schema) {
      case "ProfileDialogue" -> "dialogues · " + r.path("mode").asText("?");
      case "RolePlaySample" -> "roleplay · " + r.path("variant").asText("?");
      default -> "alignment · " + r.path("task").asText("?");
    };
  }

  @Override
  public void transcript(String schema, JsonNode r, Transcript out) {
    if (!schema.equals("ProfileDialogue")) {
      out.alpaca(r);
      return;
    }
    out.turn("system", r.path("scene").asText(""), "scene");
    String role = r.path("roleName").asText();
    for (JsonNode l : r.path("lines")) {
      String who = l.path("speaker").asText();
      String action = l.path("action").asText("");
      out.turn(
          who.equals(role) ? "assistant" : "user",
          who + ": " + l.path("text").asText() + (action.isEmpty() ? "" : " (" + action + ")"),
          null);
    }
  }
}
