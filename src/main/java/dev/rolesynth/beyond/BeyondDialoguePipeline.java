package dev.rolesynth.beyond;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.BeyondDialogueSettings.Mode;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/** Registers Beyond Dialogue with the launcher and names its datasets. */
@AutoService(RolePipeline.class)
public final class BeyondDialoguePipeline extends Recipe<Role, BeyondDialogueSettings> {
  static final Renderings<ProfileDialogue> DIALOGUES =
      Renderings.of(ProfileDialogue.class).with("review", ProfileDialogue::toString);
  static final Renderings<RolePlaySample> ROLE_PLAY =
      Renderings.of(RolePlaySample.class)
          .with("alpaca", JqForm.of(BeyondDialogueSettings.PIPELINE, "alpaca.jq"))
          .with("chat", JqForm.of(BeyondDialogueSettings.PIPELINE, "chat.jq"));
  static final Renderings<AlignmentSample> ALIGNMENT =
      Renderings.of(AlignmentSample.class)
          .with("alpaca", JqForm.of(BeyondDialogueSettings.PIPELINE, "alpaca.jq"))
          .with("chat", JqForm.of(BeyondDialogueSettings.PIPELINE, "chat.jq"));

  public BeyondDialoguePipeline() {
    super(BeyondDialogueSettings.PIPELINE, "roles.jsonl");
    settledBy(BeyondDialogueKnobs.class, BeyondDialogueSettings::new);
    dataset("dialogues", DIALOGUES);
    dataset("roleplay", ROLE_PLAY);
    dataset("alignment", ALIGNMENT);
  }

  /** Source mode (the default) on the sample: the roles whose works ship beside them. */
  @Override
  public String samplePool(RolesynthOptions options) {
    return knobs(options, BeyondDialogueKnobs.class).mode().equals("source")
        ? BeyondDialogueSettings.SAMPLE_SOURCES + "/roles.jsonl"
        : samplePool();
  }

  @Override
  protected RecordMapper<Role> pool(RolesynthOptions options) {
    // The source field (the authors' 文件路径) also tells apart one character taken from two texts.
    return new RoleMapper(
        RoleMapper.parseFieldMap(options.getFieldMap()),
        options.getMaxFieldChars(),
        List.of(knobs(options, BeyondDialogueKnobs.class).sourceField()));
  }

  /**
   * Beyond Dialogue (docs/pipelines/beyond-dialogue.md): roles in, profile-aligned role-play data
   * out.
   *
   * <ol>
   *   <li>read the profile slots (traits, speaking style, MBTI, world), completing missing ones
   *       from free text;
   *   <li>get two-person dialogues: simulated from the profile ({@link SimulateDialogues}, the
   *       authors' evaluation generator) or extracted from source texts ({@link
   *       ExtractSourceDialogues}, the paper's construction);
   *   <li>align each dialogue with the profile: the five CSERP tasks, each reasoned, then JSON;
   *   <li>write the dialogue with its alignment, aligned and non-aligned role-play SFT records, and
   *       alignment-task SFT records.
   * </ol>
   */
  @Override
  protected void build(PCollection<Role> roles, BeyondDialogueSettings s, Build b) {
    String language = s.language;
    String sourceField = s.opt.sourceField();
    var slots =
        b.map("ReadProfileSlots", roles, Profile.class, r -> Profiles.of(r, language, sourceField));
    // Roles whose pool lacks a slot get one profile call (the authors' character abstraction).
    var missing = slots.apply("MissingSlots", Filter.by(p -> !p.complete()));
    var profiles =
        b.flatten(
            "AllProfiles",
            Profile.class,
            List.of(
                slots.apply("AlreadyComplete", Filter.by(Profile::complete)),
                b.call("FillMissingSlots", missing, BdTasks.completeProfile(s), Profile.class)));
    var dialogues =
        s.mode == Mode.SCRATCH
            ? b.step("SimulateDialogues", profiles, in -> SimulateDialogues.expand(in, s, b))
            : b.step(
                "ExtractSourceDialogues", profiles, in -> ExtractSourceDialogues.expand(in, s, b));
    // Stage 9: the five alignment tasks on every dialogue.
    List<PCollection<Label>> labels = new ArrayList<>();
    for (String task : Bd.TASKS) {
      String name = "Align" + Character.toUpperCase(task.charAt(0)) + task.substring(1);
      labels.add(b.call(name, dialogues, AlignTasks.align(s, task), Label.class));
    }
    var labelled =
        GroupByKeys.named("JoinLabels")
            .with(dialogues, Dialogue::key, Dialogue.class)
            .with(b.flatten("AllLabels", Label.class, labels), Label::dialogueId, Label.class)
            .group();
    RunInfo run = b.run();
    b.writeEach("dialogues", labelled, g -> FormatRecords.dialogue(run, g));
    b.writeEach("roleplay", labelled, g -> FormatRecords.rolePlay(s, run, g));
    b.writeEach("alignment", labelled, g -> FormatRecords.alignment(s, run, g));
  }
}
