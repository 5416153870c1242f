package dev.rolesynth.lima;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.JudgeVerdict;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Turn;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/** An item becomes an SFT record (when it has an answer) and a self-prompt record. */
final class BuildRecords extends DoFn<Annotated, LimaRoleSample> {
  static final TupleTag<LimaRoleSample> SFT = new TupleTag<>("sft");
  static final TupleTag<SelfPromptSample> SELF_PROMPT = new TupleTag<>("selfprompt");

  private final RunInfo run;
  private final Counter noAnswer = Metrics.counter(CallLlm.METRICS, "lima.itemsWithoutAnswer");

  BuildRecords(RunInfo run) {
    this.run = run;
  }

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

  @ProcessElement
  public void process(@Element Annotated a, MultiOutputReceiver out) {
    Item item = a.item();
    JudgeVerdict verdict =
        a.judged() == null
            ? null
            : new JudgeVerdict(
                a.judged().winner(),
                a.judged().roleFirst(),
                a.judged().neutralFirst(),
                a.judged().roleAnswer(),
                a.judged().neutralAnswer());
    Provenance p = run.provenance(item.origin(), item.warnings(), a.llmCalls());
    List<ChatTurn> rest = new ArrayList<>();
    for (Turn t : item.rest()) {
      rest.add(new ChatTurn(t.role(), t.content()));
    }
    if (item.answer().isEmpty()) {
      noAnswer.inc();
    } else {
      out.get(SFT)
          .output(
              new LimaRoleSample(
                  item.id(),
                  item.format(),
                  a.annotation().role(),
                  a.annotation().rolePrompt(),
                  a.annotation().feedback(),
                  item.question(),
                  item.answer(),
                  rest,
                  item.system(),
                  verdict,
                  p));
    }
    out.get(SELF_PROMPT)
        .output(
            new SelfPromptSample(
                item.id(),
                item.question(),
                a.annotation().role(),
                a.annotation().rolePrompt(),
                a.annotation().feedback(),
                verdict,
                p));
  }
}
