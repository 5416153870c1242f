package dev.rolesynth.lima;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.JudgeVerdict;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Turn;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * LIMA-Role (docs/pipelines/lima-role.md): for each instruction item, one call writes the most
 * suitable expert role (a role-setting prompt and an in-role feedback turn), checked and re-asked
 * until usable; optionally the Jekyll & Hyde comparison (answer with the role and without, a judge
 * in both orders, a winner only when the orders agree) and its filter.
 */
public final class AnnotateSelfPrompts extends PTransform<PCollection<Item>, PCollectionTuple> {
  public static final TupleTag<LimaRoleSample> SFT = new TupleTag<>("sft");
  public static final TupleTag<SelfPromptSample> SELF_PROMPT = new TupleTag<>("selfprompt");
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final LimaRoleSettings settings;
  private final RunInfo run;

  public AnnotateSelfPrompts(LimaRoleSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<Item> items) {
    List<PCollection<Failure>> failures = new ArrayList<>();
    var annotated =
        items.apply("WriteRolePrompts", run.call(LimaTasks.annotate(settings), Annotated.class));
    failures.add(annotated.failures());
    PCollection<Annotated> done = annotated.output();
    if (settings.withJudge) {
      var role =
          done.apply("AnswerInRole", run.call(LimaTasks.answerInRole(settings), Annotated.class));
      var neutral =
          role.output()
              .apply(
                  "AnswerNeutrally",
                  run.call(LimaTasks.answerNeutrally(settings), Annotated.class));
      var first =
          neutral
              .output()
              .apply(
                  "JudgeRoleFirst", run.call(LimaTasks.compare(settings, true), Annotated.class));
      var second =
          first
              .output()
              .apply(
                  "JudgeNeutralFirst",
                  run.call(LimaTasks.compare(settings, false), Annotated.class));
      failures.addAll(
          List.of(role.failures(), neutral.failures(), first.failures(), second.failures()));
      done = second.output();
    }
    TupleTag<Failure> dropped = new TupleTag<>();
    PCollectionTuple out =
        done.apply(
            "BuildRecords",
            ParDo.of(new BuildFn(settings, run, dropped))
                .withOutputTags(SFT, TupleTagList.of(SELF_PROMPT).and(dropped)));
    failures.add(out.get(dropped).setCoder(KryoCoder.of(Failure.class)));
    return PCollectionTuple.of(SFT, out.get(SFT).setCoder(AvroRecordCoder.of(LimaRoleSample.class)))
        .and(SELF_PROMPT, out.get(SELF_PROMPT).setCoder(AvroRecordCoder.of(SelfPromptSample.class)))
        .and(
            FAILURES,
            PCollectionList.of(failures)
                .apply("FlattenFailures", Flatten.pCollections())
                .setCoder(KryoCoder.of(Failure.class)));
  }

  /**
   * An item becomes an SFT record (when it has an answer) and a self-prompt record; with the filter
   * on, an item whose role answer lost in both orders becomes a dead letter instead.
   */
  static final class BuildFn extends DoFn<Annotated, LimaRoleSample> {
    private final LimaRoleSettings settings;
    private final RunInfo run;
    private final TupleTag<Failure> dropped;
    private final Counter noAnswer = Metrics.counter(CallLlm.METRICS, "lima.itemsWithoutAnswer");

    BuildFn(LimaRoleSettings settings, RunInfo run, TupleTag<Failure> dropped) {
      this.settings = settings;
      this.run = run;
      this.dropped = dropped;
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
      if (settings.keepRoleNotLosing && verdict != null && verdict.getWinner().equals("neutral")) {
        out.get(dropped)
            .output(
                new Failure(
                    item.id(),
                    item.id() + "/lima_judge",
                    "lima_judge",
                    "judge_filtered",
                    "the neutral answer beat the role answer in both orders",
                    item.origin()));
        return;
      }
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
}
