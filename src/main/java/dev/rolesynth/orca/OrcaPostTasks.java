package dev.rolesynth.orca;

import static dev.rolesynth.orca.OrcaTasks.render;
import static dev.rolesynth.orca.OrcaTasks.userContext;

import dev.rolesynth.llm.Answers;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import java.util.List;

/**
 * The per-post stages of the PCIP records: the knowledge a post holds and the activity behind it.
 */
final class OrcaPostTasks {
  private OrcaPostTasks() {}

  static Vars postContext(PostTask t) {
    return userContext(t.persona().user()).with("post", render(t.post()));
  }

  /** Potential knowledge of one post: {containsKnowledge, detailedKnowledge}. */
  static Stage<PostTask, PostTask> findKnowledge(OrcaSettings s) {
    return Stage.<PostTask>asking("orca_knowledge", s, OrcaPostTasks::postContext)
        .givingEach(
            (t, j) -> {
              boolean contains = j.get("containsKnowledge").asBoolean();
              return List.of(
                  t.withKnowledge(contains, contains ? Answers.text(j, "detailedKnowledge") : ""));
            })
        .calledAs(t -> t.callId("orca_knowledge"))
        .checkedBy(
            (t, a) ->
                a.get("containsKnowledge").asBoolean()
                        && a.get("detailedKnowledge").asText().isBlank()
                    ? "\"detailedKnowledge\" must state the knowledge when \"containsKnowledge\" is true"
                    : null);
  }

  /**
   * Psychological activity behind one post: rmr (shows profile content), ept (explicit
   * personality), bpa.
   */
  static Stage<PostTask, PostTask> inferActivity(OrcaSettings s) {
    return Stage.<PostTask>asking(
            "orca_activity",
            s,
            t ->
                postContext(t)
                    .with("profile", t.persona().profile())
                    .with("summary", t.persona().traitSummary())
                    .with("knowledge", t.containsKnowledge() ? t.knowledge() : ""))
        .giving(
            (t, j) ->
                t.withActivity(
                    j.get("rmr").asBoolean(), j.get("ept").asBoolean(), Answers.text(j, "bpa")))
        .calledAs(t -> t.callId("orca_activity"));
  }
}
