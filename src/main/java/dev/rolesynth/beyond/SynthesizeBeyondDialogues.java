package dev.rolesynth.beyond;

import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.BeyondDialogueSettings.Mode;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Beyond Dialogue (docs/pipelines/beyond-dialogue.md): roles in, profile-aligned role-play data
 * out.
 *
 * <ol>
 *   <li>read the profile slots (traits, speaking style, MBTI, world), completing missing ones from
 *       free text;
 *   <li>get two-person dialogues: simulated from the profile ({@link SimulateDialogues}, the
 *       authors' evaluation generator) or extracted from source texts ({@link
 *       ExtractSourceDialogues}, the paper's construction);
 *   <li>align each dialogue with the profile: the five CSERP tasks, each reasoned, then JSON;
 *   <li>write the dialogue with its alignment, aligned and non-aligned role-play SFT records, and
 *       alignment-task SFT records.
 * </ol>
 */
public final class SynthesizeBeyondDialogues
    extends PTransform<PCollection<Role>, PCollectionTuple> {
  public static final TupleTag<ProfileDialogue> DIALOGUES = new TupleTag<>("dialogues");
  public static final TupleTag<RolePlaySample> ROLE_PLAY = new TupleTag<>("roleplay");
  public static final TupleTag<AlignmentSample> ALIGNMENT = new TupleTag<>("alignment");
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final BeyondDialogueSettings settings;
  private final RunInfo run;

  public SynthesizeBeyondDialogues(BeyondDialogueSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<Role> roles) {
    PCollection<Profile> slots =
        roles
            .apply(
                "ReadProfileSlots",
                ParDo.of(new ReadSlotsFn(settings.language, settings.sourceField)))
            .setCoder(KryoCoder.of(Profile.class));
    var profiles = slots.apply("CompleteProfiles", new CompleteProfiles());
    var dialogues =
        settings.mode == Mode.SCRATCH
            ? profiles.output().apply("SimulateDialogues", new SimulateDialogues(settings, run))
            : profiles
                .output()
                .apply("ExtractSourceDialogues", new ExtractSourceDialogues(settings, run));
    var labels = dialogues.output().apply("AlignWithProfile", new AlignWithProfile());
    PCollectionTuple records = formatRecords(dialogues.output(), labels.output());
    PCollection<Failure> failures =
        Failures.flatten(
            "FlattenFailures",
            List.of(profiles.failures(), dialogues.failures(), labels.failures()));
    return PCollectionTuple.of(DIALOGUES, records.get(DIALOGUES))
        .and(ROLE_PLAY, records.get(ROLE_PLAY))
        .and(ALIGNMENT, records.get(ALIGNMENT))
        .and(FAILURES, failures);
  }

  static final class ReadSlotsFn extends DoFn<Role, Profile> {
    private final String language;
    private final String sourceField;

    ReadSlotsFn(String language, String sourceField) {
      this.language = language;
      this.sourceField = sourceField;
    }

    @ProcessElement
    public void process(@Element Role role, OutputReceiver<Profile> out) {
      out.output(Profiles.of(role, language, sourceField));
    }
  }

  /**
   * Roles whose pool lacks a slot get one profile call (the authors' character abstraction); the
   * rest none.
   */
  final class CompleteProfiles
      extends PTransform<PCollection<Profile>, WithFailures.Result<PCollection<Profile>, Failure>> {
    @Override
    public WithFailures.Result<PCollection<Profile>, Failure> expand(PCollection<Profile> in) {
      PCollection<Profile> complete = in.apply("AlreadyComplete", Filter.by(Profile::complete));
      var completed =
          in.apply("MissingSlots", Filter.by(p -> !p.complete()))
              .apply(
                  "FillMissingSlots", run.call(BdTasks.completeProfile(settings), Profile.class));
      PCollection<Profile> all =
          PCollectionList.of(complete)
              .and(completed.output())
              .apply("AllProfiles", Flatten.pCollections())
              .setCoder(KryoCoder.of(Profile.class));
      return WithFailures.Result.of(all, completed.failures());
    }
  }

  /** Stage 9: the five alignment tasks on every dialogue. */
  final class AlignWithProfile
      extends PTransform<PCollection<Dialogue>, WithFailures.Result<PCollection<Label>, Failure>> {
    @Override
    public WithFailures.Result<PCollection<Label>, Failure> expand(
        PCollection<Dialogue> dialogues) {
      List<PCollection<Label>> labels = new ArrayList<>();
      List<PCollection<Failure>> failures = new ArrayList<>();
      for (String task : Bd.TASKS) {
        String name = Character.toUpperCase(task.charAt(0)) + task.substring(1);
        var r =
            dialogues.apply(
                "Align" + name, run.call(AlignTasks.align(settings, task), Label.class));
        labels.add(r.output());
        failures.add(r.failures());
      }
      PCollection<Label> all =
          PCollectionList.of(labels)
              .apply("AllLabels", Flatten.pCollections())
              .setCoder(KryoCoder.of(Label.class));
      return WithFailures.Result.of(all, Failures.flatten("AlignFailures", failures));
    }
  }

  /** Stages 10-11: joins each dialogue with its labels and writes the three kinds of record. */
  private PCollectionTuple formatRecords(
      PCollection<Dialogue> dialogues, PCollection<Label> labels) {
    TupleTag<Dialogue> d = new TupleTag<>();
    TupleTag<Label> l = new TupleTag<>();
    PCollection<KV<String, Dialogue>> byId =
        dialogues
            .apply("KeyDialogues", WithKeys.of((Dialogue x) -> x.key()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Dialogue.class)));
    PCollection<KV<String, Label>> labelsById =
        labels
            .apply("KeyLabels", WithKeys.of((Label x) -> x.dialogueId()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Label.class)));
    PCollectionTuple out =
        KeyedPCollectionTuple.of(d, byId)
            .and(l, labelsById)
            .apply("JoinLabels", CoGroupByKey.create())
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
