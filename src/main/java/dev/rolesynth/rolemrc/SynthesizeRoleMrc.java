package dev.rolesynth.rolemrc;

import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.FanOut;
import dev.rolesynth.pipeline.JoinById;
import dev.rolesynth.pipeline.ReadPool;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Persona;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * RoleMRC (docs/pipelines/rolemrc.md): each persona becomes a seven-section profile; BM25 picks its
 * most and least relevant MRC items; the role then holds a free and an on-scene chat and answers
 * and declines both items' questions in its style; the ruled tasks rewrite an answer under a format
 * rule, flip the required behaviour in a second turn, or put a system rule above the user. What the
 * calls made for a persona is joined by its id into SFT conversations and DPO pairs.
 */
final class SynthesizeRoleMrc extends PTransform<PCollection<Persona>, PCollectionTuple> {
  static final TupleTag<RoleMrcConversation> SFT = new TupleTag<>("sft");
  static final TupleTag<RoleMrcPreference> DPO = new TupleTag<>("dpo");
  static final TupleTag<Matched> META = new TupleTag<>("meta");
  static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final RoleMrcSettings settings;
  private final RunInfo run;

  SynthesizeRoleMrc(RoleMrcSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<Persona> personas) {
    RoleMrcSettings s = settings;
    var items =
        personas
            .getPipeline()
            .apply(
                "ReadMrcPool",
                ReadPool.from(s.passages, "auto", new Mappers.Items(), 0).countedAs("passages"));
    var profiles =
        personas.apply("WriteProfiles", run.call(Stages.profile(s), RoleMrc.Profile.class));
    var matched = profiles.output().apply("MatchPassages", new MatchPassages(items.output()));
    var chats =
        matched
            .output()
            .apply(
                "PlanChats",
                FanOut.into(Task.class, m -> List.of(task(s, m, "free"), task(s, m, "scene"))))
            .apply("WriteChats", run.call(Stages.chat(s, "rolemrc_chat"), Made.class));
    var answers =
        matched
            .output()
            .apply(
                "PlanQuestions",
                FanOut.into(Task.class, m -> List.of(task(s, m, "most"), task(s, m, "least"))))
            .apply("AnswerAndDecline", run.call(Stages.mrc(s), Made.class));
    var ruled =
        answers
            .output()
            .apply(
                "PlanRuledAnswers",
                FanOut.into(
                    Made.class,
                    m ->
                        s.ruledTasks
                                && m.kind().equals("most")
                                && m.task().match().item().answerable()
                            ? List.of(m)
                            : List.of()))
            .apply("RewriteUnderRules", run.call(Stages.nested(s), Made.class));
    PCollectionTuple records =
        PCollectionList.of(chats.output())
            .and(answers.output())
            .and(ruled.output())
            .apply("JoinByRole", JoinById.of(Made.class))
            .apply(
                "BuildRecords",
                ParDo.of(new BuildRecords(s, run, SFT, DPO))
                    .withOutputTags(SFT, TupleTagList.of(DPO)));
    PCollection<Failure> failures =
        Failures.flatten(
            "FlattenFailures",
            List.of(
                items.failures(),
                profiles.failures(),
                matched.failures(),
                chats.failures(),
                answers.failures(),
                ruled.failures()));
    return PCollectionTuple.of(
            SFT, records.get(SFT).setCoder(AvroRecordCoder.of(RoleMrcConversation.class)))
        .and(DPO, records.get(DPO).setCoder(AvroRecordCoder.of(RoleMrcPreference.class)))
        .and(META, matched.output())
        .and(FAILURES, failures);
  }

  static Task task(RoleMrcSettings s, Matched m, String kind) {
    return new Task(m, kind, s.narrated(m.id(), kind), s.roleFirst(m.id(), kind));
  }
}
