package dev.rolesynth.lima;

import dev.rolesynth.avro.JudgeVerdict;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Judged;
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.RunInfo;
import java.util.List;

/** An item becomes an SFT record (when it has an answer) and a self-prompt record. */
final class BuildRecords {
  private BuildRecords() {}

  /** The filter's decision: an item whose role answer lost in both orders is dropped. */
  static Failure neutralWon(Annotated a) {
    if (a.judged() == null || !a.judged().winner().equals("neutral")) {
      return null;
    }
    Item item = a.item();
    return new Failure(
        item.id(),
        item.id() + "/lima_judge",
        "lima_judge",
        "judge_filtered",
        "the neutral answer beat the role answer in both orders",
        item.origin());
  }

  /** The SFT record, or none for an item without an answer (it is still a self-prompt record). */
  static List<LimaRoleSample> sft(Annotated a, RunInfo run) {
    if (a.item().answer().isEmpty()) {
      return List.of();
    }
    return List.of(records(a, run).as(LimaRoleSample.class));
  }

  static SelfPromptSample selfPrompt(Annotated a, RunInfo run) {
    return records(a, run).as(SelfPromptSample.class);
  }

  /** An item's fields, its annotation's, its verdict and provenance, for either record. */
  private static AvroRecords records(Annotated a, RunInfo run) {
    Item item = a.item();
    return AvroRecords.from(a)
        .with("judge", verdict(a.judged()))
        .with("provenance", run.provenance(item, a.llmCalls()));
  }

  private static JudgeVerdict verdict(Judged j) {
    return j == null
        ? null
        : new JudgeVerdict(
            j.winner(), j.roleFirst(), j.neutralFirst(), j.roleAnswer(), j.neutralAnswer());
  }
}
