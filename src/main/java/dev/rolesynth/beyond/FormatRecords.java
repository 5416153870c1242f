package dev.rolesynth.beyond;

import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Stages 10-11: each dialogue with its labels (grouped by the dialogue's key) makes the three kinds
 * of record. Every label becomes an alignment-task record; a dialogue with all five labels also
 * becomes a dialogue record and two role-play records. A missing label is already a dead letter.
 */
final class FormatRecords {
  private FormatRecords() {}

  /** A dialogue, its labels in task order, and the provenance its records share. */
  private record Labelled(Dialogue d, List<Label> labels, Provenance provenance) {
    static Labelled of(Grouped g, RunInfo run) {
      Dialogue d = g.only(Dialogue.class);
      if (d == null) {
        return null;
      }
      List<Label> labels = new ArrayList<>(g.all(Label.class));
      labels.sort(Comparator.comparing(Label::task));
      Role r = d.profile().role();
      return new Labelled(d, labels, run.provenance(r, d.llmCalls() + labels.size()));
    }
  }

  static List<AlignmentSample> alignment(BeyondDialogueSettings s, RunInfo run, Grouped g) {
    Labelled x = Labelled.of(g, run);
    if (x == null) {
      return List.of();
    }
    String system = s.render("assistant.system", BdTasks.context(x.d().profile()));
    return x.labels().stream()
        .map(l -> SftRecords.alignment(system, x.d(), l, x.provenance()))
        .toList();
  }

  static List<ProfileDialogue> dialogue(RunInfo run, Grouped g) {
    Labelled x = Labelled.of(g, run);
    Map<String, Label> all = x == null ? null : SftRecords.complete(x.labels());
    return all == null ? List.of() : List.of(SftRecords.dialogue(x.d(), all, x.provenance()));
  }

  static List<RolePlaySample> rolePlay(BeyondDialogueSettings s, RunInfo run, Grouped g) {
    Labelled x = Labelled.of(g, run);
    Map<String, Label> all = x == null ? null : SftRecords.complete(x.labels());
    return all == null ? List.of() : SftRecords.rolePlay(s, x.d(), all, x.provenance());
  }
}
