package dev.rolesynth.beyond;

import static dev.rolesynth.beyond.BdTasks.context;
import static dev.rolesynth.beyond.BdTasks.words;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.beyond.Bd.ChunkSample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Partner;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.beyond.Bd.SourceInfo;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import java.util.ArrayList;
import java.util.List;

/**
 * Source mode's stages: chunks scored, their scenes and dialogues extracted, scenes rebuilt,
 * conflicts checked.
 */
final class BdSourceTasks {
  private BdSourceTasks() {}

  /**
   * Source mode, stage 3: one sample of how well the role's lines in a chunk reflect the profile
   * (1-10).
   */
  static Stage<ChunkSample, ScoredChunk> scoreChunk(BeyondDialogueSettings s) {
    // Samples differ only by seed, so their mean is the authors' five-sample score.
    return Stage.<ChunkSample>asking(
            "bd_chunk_score", s, c -> context(c.chunk().profile()).with("chunk", c.chunk().text()))
        .giving((c, j) -> new ScoredChunk(c.chunk(), j.get("score").asInt(), 1, null))
        .calledAs(ChunkSample::callId);
  }

  static Vars chunkContext(ScoredChunk c) {
    return context(c.chunk().profile())
        .with("chunk", c.chunk().text())
        .with("chunkScene", c.scene() == null ? "" : c.scene());
  }

  /** Source mode, stage 2: the key scene of a chunk (time, place, people, events; no dialogue). */
  static Stage<ScoredChunk, ScoredChunk> extractChunkScene(BeyondDialogueSettings s) {
    return Stage.<ScoredChunk>asking("bd_chunk_scene", s, BdSourceTasks::chunkContext)
        .giving((c, j) -> c.withScene(Answers.text(j, "scene")))
        .calledAs(c -> c.chunk().key())
        .checkedBy(
            (c, a) ->
                words(a.get("scene").asText()) > 200
                    ? "\"scene\" must be at most 150 words"
                    : null);
  }

  /**
   * Source mode, stages 5-6: the chunk's dialogue as speaker | line | action rows, then two-person
   * alternation.
   */
  static Stage<ScoredChunk, Dialogue> extractDialogue(BeyondDialogueSettings s) {
    return Stage.<ScoredChunk>asking("bd_extract", s, BdSourceTasks::chunkContext)
        .givingEach(
            (c, j) -> {
              Profile p = c.chunk().profile();
              List<Line> rows = new ArrayList<>();
              for (JsonNode r : j.get("rows")) {
                rows.add(
                    new Line(
                        r.get("speaker").asText(),
                        r.get("line").asText(),
                        r.path("action").asText("")));
              }
              TwoPersonDialogue.Result ab = TwoPersonDialogue.of(rows, p.name(), p.names());
              if (ab.problem() != null) {
                throw new IllegalArgumentException(ab.problem());
              }
              SourceInfo src = new SourceInfo(c.chunk().id(), c.score(), c.scene(), -1, -1, "");
              return List.of(
                  new Dialogue(
                      c.chunk().key(),
                      p,
                      "source",
                      new Partner(ab.partner(), ""),
                      c.scene(),
                      ab.lines(),
                      null,
                      null,
                      src,
                      3 + c.samples()));
            })
        .calledAs(c -> c.chunk().key())
        .checkedBy(
            (c, a) -> {
              Profile p = c.chunk().profile();
              for (JsonNode r : a.get("rows")) {
                if (TwoPersonDialogue.isRole(r.get("speaker").asText(), p.name(), p.names())) {
                  return null;
                }
              }
              return "no row has "
                  + p.name()
                  + " (or an alias) as speaker; include "
                  + p.name()
                  + "'s lines, with the name exactly";
            });
  }

  static Vars dialogueContext(Dialogue d) {
    return context(d.profile())
        .with("partner", d.partner().name())
        .with("scene", d.scene() == null ? "" : d.scene())
        .with(
            "chunkScene",
            d.source() == null || d.source().chunkScene() == null ? "" : d.source().chunkScene())
        .with("dialogue", d.transcript());
  }

  /**
   * Source mode, stage 7: the dialogue's own sub-scene, and whether the dialogue hangs together.
   */
  static Stage<Dialogue, Dialogue> reconstructScene(BeyondDialogueSettings s) {
    return Stage.<Dialogue>asking("bd_subscene", s, BdSourceTasks::dialogueContext)
        .giving(
            (d, j) ->
                d.withScene(
                    Answers.text(j, "scene"),
                    d.source().withCoherence(j.get("coherence").asInt()),
                    1))
        .calledAs(d -> d.key() + "/bd_subscene");
  }

  /** Source mode, stage 8: does the dialogue contradict the role's profile? */
  static Stage<Dialogue, Dialogue> checkConflict(BeyondDialogueSettings s) {
    return Stage.<Dialogue>asking("bd_conflict", s, BdSourceTasks::dialogueContext)
        .givingEach(
            (d, j) -> {
              SourceInfo src =
                  d.source()
                      .withConflict(j.get("conflict").asInt())
                      .withConflictAnalysis(Answers.text(j, "analysis"));
              return List.of(d.withScene(d.scene(), src, 1));
            })
        .calledAs(d -> d.key() + "/bd_conflict");
  }
}
