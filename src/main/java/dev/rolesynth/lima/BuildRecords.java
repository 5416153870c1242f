package dev.rolesynth.lima;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.JudgeVerdict;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Judged;
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
    Item item = a.item();
    if (item.answer().isEmpty()) {
      return List.of();
    }
    return List.of(
        new LimaRoleSample(
            item.id(),
            item.format(),
            a.annotation().role(),
            a.annotation().rolePrompt(),
            a.annotation().feedback(),
            item.question(),
            item.answer(),
            item.rest().stream().map(t -> new ChatTurn(t.role(), t.content())).toList(),
            item.system(),
            verdict(a.judged()),
            run.provenance(item.origin(), item.warnings(), a.llmCalls())));
  }

  static SelfPromptSample selfPrompt(Annotated a, RunInfo run) {
    Item item = a.item();
    return new SelfPromptSample(
        item.id(),
        item.question(),
        a.annotation().role(),
        a.annotation().rolePrompt(),
        a.annotation().feedback(),
        verdict(a.judged()),
        run.provenance(item.origin(), item.warnings(), a.llmCalls()));
  }

  private static JudgeVerdict verdict(Judged j) {
    return j == null
        ? null
        : new JudgeVerdict(
            j.winner(), j.roleFirst(), j.neutralFirst(), j.roleAnswer(), j.neutralAnswer());
  }
}
