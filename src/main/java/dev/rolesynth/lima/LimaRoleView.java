package dev.rolesynth.lima;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.review.RecordView;
import dev.rolesynth.review.Transcript;
import java.util.Set;

/** LIMA-Role's records in the review: strata by the Jekyll &amp; Hyde judge's verdict. */
@AutoService(RecordView.class)
public final class LimaRoleView implements RecordView {
  @Override
  public Set<String> schemas() {
    return Set.of("SelfPromptTuningSample", "LimaRoleSample", "SelfPromptSample");
  }

  /** The judge's verdict (role, neutral or tie), or unjudged. */
  @Override
  public String stratum(String schema, JsonNode r) {
    JsonNode judge = r.path("judge");
    return judge.isObject() ? "judge: " + judge.path("winner").asText("?") : "unjudged";
  }

  @Override
  public void transcript(String schema, JsonNode r, Transcript out) {
    if (schema.equals("SelfPromptSample")) {
      out.turn("user", r.path("question").asText(""), null);
      out.turn(
          "assistant",
          r.path("rolePrompt").asText(""),
          "self-prompt for the role: " + r.path("role").asText());
      return;
    }
    boolean lima = schema.equals("LimaRoleSample");
    out.turn("system", r.path("system").asText(""), null);
    out.turn("user", r.path("question").asText(""), null);
    out.turn(
        "assistant",
        lima ? r.path("answer").asText("") : r.path("target").asText(""),
        lima ? "role prompt: " + r.path("rolePrompt").asText() : null);
    for (JsonNode m : r.path("rest")) {
      out.turn(m.path("role").asText(), m.path("content").asText(), null);
    }
  }
}
