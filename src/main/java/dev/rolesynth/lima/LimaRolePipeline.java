package dev.rolesynth.lima;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.avro.SelfPromptTuningSample;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.values.PCollection;

/** LIMA-Role as a recipe: its datasets, its graph, and their renderings. */
@AutoService(RolePipeline.class)
public final class LimaRolePipeline extends Recipe<Item, LimaRoleSettings> {
  static final Renderings<SelfPromptTuningSample> SELF_TUNING =
      Renderings.of(SelfPromptTuningSample.class)
          .with("chat", JqForm.of(LimaRoleSettings.PIPELINE, "tuning.chat.jq"))
          .with("alpaca", JqForm.of(LimaRoleSettings.PIPELINE, "tuning.alpaca.jq"));
  static final Renderings<LimaRoleSample> SFT =
      Renderings.of(LimaRoleSample.class)
          .with("chat", JqForm.of(LimaRoleSettings.PIPELINE, "sample.chat.jq"))
          .with("alpaca", JqForm.of(LimaRoleSettings.PIPELINE, "sample.alpaca.jq"));
  static final Renderings<SelfPromptSample> SELF_PROMPT =
      Renderings.of(SelfPromptSample.class)
          .with("chat", JqForm.of(LimaRoleSettings.PIPELINE, "self-prompt.chat.jq"))
          .with("alpaca", JqForm.of(LimaRoleSettings.PIPELINE, "self-prompt.alpaca.jq"));

  public LimaRolePipeline() {
    super(LimaRoleSettings.PIPELINE, "instructions.jsonl");
    settledBy(LimaRoleKnobs.class, LimaRoleSettings::new);
    reads(options -> new InstructionMapper(options.getMaxFieldChars()));
    refusesFieldMap("its formats are recognised per record");
    dataset("selftuning", SELF_TUNING);
    dataset("sft", SFT);
    dataset("selfprompt", SELF_PROMPT);
  }

  /**
   * LIMA-Role (docs/pipelines/lima-role.md): for each instruction item, one call writes the most
   * suitable expert role (a role-setting prompt and an in-role feedback turn), checked and re-asked
   * until usable; optionally the Jekyll & Hyde comparison (answer with the role and without, a
   * judge in both orders, a winner only when the orders agree) and its filter.
   */
  @Override
  protected void build(PCollection<Item> items, LimaRoleSettings s, Build b) {
    var done = b.call("WriteRolePrompts", items, LimaTasks.annotate(s), Annotated.class);
    if (s.opt.withJudge()) {
      var role = b.call("AnswerInRole", done, LimaTasks.answerInRole(s), Annotated.class);
      var neutral = b.call("AnswerNeutrally", role, LimaTasks.answerNeutrally(s), Annotated.class);
      var first = b.call("JudgeRoleFirst", neutral, LimaTasks.compare(s, true), Annotated.class);
      done = b.call("JudgeNeutralFirst", first, LimaTasks.compare(s, false), Annotated.class);
    }
    if (s.opt.keepRoleNotLosing()) {
      done = b.keepIf("KeepRoleNotLosing", done, BuildRecords::neutralWon);
    }
    RunInfo run = b.run();
    b.writeEach(done, a -> records(a, run), "selftuning", "sft", "selfprompt");
  }

  /** An item's records of the three datasets, made in one pass. */
  private static List<SpecificRecordBase> records(Annotated a, RunInfo run) {
    List<LimaRoleSample> sft = BuildRecords.sft(a, run);
    List<SpecificRecordBase> out = new ArrayList<>(sft);
    sft.forEach(r -> out.add(tuning(r)));
    out.add(BuildRecords.selfPrompt(a, run));
    return out;
  }

  /** Self-Prompt Tuning's target: the model writes its own role-play prompt, then answers. */
  static SelfPromptTuningSample tuning(LimaRoleSample r) {
    return AvroRecords.from(r)
        .with("target", r.getRolePrompt() + "\n\n" + r.getAnswer())
        .as(SelfPromptTuningSample.class);
  }
}
