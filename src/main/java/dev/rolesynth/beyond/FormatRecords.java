package dev.rolesynth.beyond;

import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stages 10-11: joins each dialogue with its labels and writes the three kinds of record, under
 * {@link #DIALOGUES}, {@link #ROLE_PLAY} and {@link #ALIGNMENT}.
 */
final class FormatRecords extends PTransform<PCollection<Dialogue>, PCollectionTuple> {
  static final TupleTag<ProfileDialogue> DIALOGUES = new TupleTag<>("dialogues");
  static final TupleTag<RolePlaySample> ROLE_PLAY = new TupleTag<>("roleplay");
  static final TupleTag<AlignmentSample> ALIGNMENT = new TupleTag<>("alignment");

  private final BeyondDialogueSettings settings;
  private final RunInfo run;
  private final PCollection<Label> labels;

  FormatRecords(BeyondDialogueSettings settings, RunInfo run, PCollection<Label> labels) {
    this.settings = settings;
    this.run = run;
    this.labels = labels;
  }

  @Override
  public PCollectionTuple expand(PCollection<Dialogue> dialogues) {
    TupleTag<Dialogue> d = new TupleTag<>();
    TupleTag<Label> l = new TupleTag<>();
    PCollectionTuple out =
        GroupByKeys.named("JoinLabels")
            .with(d, dialogues, Dialogue::key, Dialogue.class)
            .with(l, labels, Label::dialogueId, Label.class)
            .group()
            .apply(
                "FormatRecords",
                ParDo.of(new FormatFn(settings, run, d, l))
                    .withOutputTags(DIALOGUES, TupleTagList.of(ROLE_PLAY).and(ALIGNMENT)));
    out.get(DIALOGUES).setCoder(AvroRecordCoder.of(ProfileDialogue.class));
    out.get(ROLE_PLAY).setCoder(AvroRecordCoder.of(RolePlaySample.class));
    out.get(ALIGNMENT).setCoder(AvroRecordCoder.of(AlignmentSample.class));
    return out;
  }

  /**
   * Every label becomes an alignment-task record; a dialogue with all five labels also becomes a
   * dialogue record and two role-play records. A missing label is already a dead letter.
   */
  static final class FormatFn extends DoFn<KV<String, CoGbkResult>, ProfileDialogue> {
    private final BeyondDialogueSettings settings;
    private final RunInfo run;
    private final TupleTag<Dialogue> dialogueTag;
    private final TupleTag<Label> labelTag;

    FormatFn(
        BeyondDialogueSettings settings,
        RunInfo run,
        TupleTag<Dialogue> dialogueTag,
        TupleTag<Label> labelTag) {
      this.settings = settings;
      this.run = run;
      this.dialogueTag = dialogueTag;
      this.labelTag = labelTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
      Dialogue d = joined.getValue().getOnly(dialogueTag, null);
      if (d == null) {
        return;
      }
      List<Label> labels = new ArrayList<>();
      joined.getValue().getAll(labelTag).forEach(labels::add);
      labels.sort(Comparator.comparing(Label::task));
      Role r = d.profile().role();
      Provenance provenance =
          run.provenance(r.origin(), r.warnings(), d.llmCalls() + labels.size());
      String system = settings.render("assistant.system", BdTasks.context(d.profile()));
      for (Label l : labels) {
        out.get(ALIGNMENT).output(SftRecords.alignment(system, d, l, provenance));
      }
      Map<String, Label> all = SftRecords.complete(labels);
      if (all != null) {
        out.get(DIALOGUES).output(SftRecords.dialogue(d, all, provenance));
        SftRecords.rolePlay(settings, d, all, provenance).forEach(out.get(ROLE_PLAY)::output);
      }
    }
  }
}
