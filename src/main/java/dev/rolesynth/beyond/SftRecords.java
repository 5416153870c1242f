package dev.rolesynth.beyond;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.AlignedProfile;
import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.DialogueLine;
import dev.rolesynth.avro.EmotionScores;
import dev.rolesynth.avro.HistoryPair;
import dev.rolesynth.avro.PlannedState;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.ProfileSlots;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.avro.SourceChecks;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.pipeline.AvroRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Beyond Dialogue's records (docs/pipelines/beyond-dialogue.md; no LLM): the dialogue with its
 * alignment, the aligned and non-aligned role-play SFT records (the last role turn as target, the
 * rest as history), the alignment-task SFT records, and their JSONL renderings.
 */
final class SftRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SftRecords() {}

  /** The five labels of a dialogue by task; null when one is missing. */
  static Map<String, Label> complete(Iterable<Label> labels) {
    Map<String, Label> byTask = new TreeMap<>();
    labels.forEach(l -> byTask.put(l.task(), l));
    return byTask.keySet().containsAll(Bd.TASKS) ? byTask : null;
  }

  static EmotionScores emotionScores(Emotions e) {
    List<Integer> v = e.values();
    return new EmotionScores(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5));
  }

  static ProfileDialogue dialogue(Dialogue d, Map<String, Label> labels, Provenance provenance) {
    Profile p = d.profile();
    AlignedProfile aligned =
        new AlignedProfile(
            labels.get("character").tags(),
            labels.get("style").tags(),
            labels.get("personality").mbti(),
            emotionScores(labels.get("emotion").emotions()),
            labels.get("relationship").relationship());
    Map<String, String> analyses = new TreeMap<>();
    labels.forEach((task, l) -> analyses.put(task, l.analysis()));
    PlannedState planned =
        d.plannedEmotions() == null
            ? null
            : new PlannedState(emotionScores(d.plannedEmotions()), d.plannedRelationship());
    SourceChecks source =
        d.source() == null
            ? null
            : AvroRecords.from(d.source())
                .with("chunkScene", nz(d.source().chunkScene()))
                .as(SourceChecks.class);
    return new ProfileDialogue(
        d.key(),
        p.id(),
        p.name(),
        p.language(),
        d.mode(),
        d.partner().name(),
        d.partner().description(),
        nz(d.scene()),
        d.lines().stream().map(l -> AvroRecords.from(l).as(DialogueLine.class)).toList(),
        new ProfileSlots(p.character(), p.style(), p.mbti(), p.world()),
        aligned,
        new LinkedHashMap<>(analyses),
        planned,
        source,
        provenance);
  }

  /**
   * The two role-play records of a dialogue: aligned (traits, style and MBTI as the dialogue shows
   * them) and non-aligned (as the profile gives them); both carry the scene, the emotions, the
   * partner and the intimacy the alignment tasks found.
   */
  static List<RolePlaySample> rolePlay(
      BeyondDialogueSettings settings,
      Dialogue d,
      Map<String, Label> labels,
      Provenance provenance) {
    Profile p = d.profile();
    Emotions emotions = labels.get("emotion").emotions();
    int relationship = labels.get("relationship").relationship();
    String alignedSystem =
        BdTasks.rolePlaySystem(
            settings,
            p,
            labels.get("character").tags(),
            labels.get("style").tags(),
            labels.get("personality").mbti(),
            nz(d.scene()),
            emotions,
            d.partner().name(),
            relationship);
    String originalSystem =
        BdTasks.rolePlaySystem(
            settings,
            p,
            p.character(),
            p.style(),
            p.mbti(),
            nz(d.scene()),
            emotions,
            d.partner().name(),
            relationship);
    List<HistoryPair> history = new ArrayList<>();
    List<Line> lines = d.lines();
    // Lines alternate partner, role, ..., role: pairs of (partner, role); the last pair is the
    // target.
    for (int i = 0; i + 3 < lines.size(); i += 2) {
      history.add(new HistoryPair(lines.get(i).render(), lines.get(i + 1).render()));
    }
    String instruction = lines.get(lines.size() - 2).render();
    String output = lines.get(lines.size() - 1).render();
    // the same exchange twice, under the system prompt of each variant
    BiFunction<String, String, RolePlaySample> sample =
        (variant, system) ->
            new RolePlaySample(
                d.key() + "/" + variant,
                d.key(),
                p.id(),
                p.name(),
                variant,
                system,
                instruction,
                "",
                output,
                new ArrayList<>(history),
                provenance);
    return List.of(
        sample.apply("aligned", alignedSystem), sample.apply("non_aligned", originalSystem));
  }

  /**
   * The output is exactly what the instruction asks for: one JSON object with the reasoning first
   * ("analysis") and the task's answer after it, as the alignment prompts request.
   */
  static AlignmentSample alignment(String system, Dialogue d, Label l, Provenance provenance) {
    return new AlignmentSample(
        d.key() + "/" + l.task(),
        d.key(),
        d.profile().id(),
        l.task(),
        system,
        l.instruction(),
        "",
        output(l),
        l.answerJson(),
        provenance);
  }

  static String output(Label l) {
    try {
      var full = JSON.createObjectNode().put("analysis", l.analysis());
      full.setAll((ObjectNode) JSON.readTree(l.answerJson()));
      return full.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an alignment answer is not JSON: " + l.answerJson(), e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
