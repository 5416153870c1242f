package dev.rolesynth.beyond;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.AlignmentSample;
import dev.rolesynth.avro.ProfileDialogue;
import dev.rolesynth.avro.RolePlaySample;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/** Registers Beyond Dialogue with the launcher and names its datasets. */
@AutoService(RolePipeline.class)
public final class BeyondDialoguePipeline implements RolePipeline<Role> {
  static final Renderings<ProfileDialogue> DIALOGUES =
      new Renderings<>(ProfileDialogue.class, Map.of("review", ProfileDialogue::toString));
  static final Renderings<RolePlaySample> ROLE_PLAY =
      new Renderings<>(
          RolePlaySample.class,
          Map.of(
              "alpaca",
                  r ->
                      SftRecords.alpaca(
                          r.getSystem(), r.getInstruction(), r.getOutput(), r.getHistory()),
              "chat",
                  r ->
                      SftRecords.chat(
                          r.getSystem(), r.getInstruction(), r.getOutput(), r.getHistory())));
  static final Renderings<AlignmentSample> ALIGNMENT =
      new Renderings<>(
          AlignmentSample.class,
          Map.of(
              "alpaca",
                  r ->
                      SftRecords.alpaca(
                          r.getSystem(), r.getInstruction(), r.getOutput(), List.of()),
              "chat",
                  r ->
                      SftRecords.chat(
                          r.getSystem(), r.getInstruction(), r.getOutput(), List.of())));

  @Override
  public Map<String, Renderings<?>> renderings() {
    return Map.of("dialogues", DIALOGUES, "roleplay", ROLE_PLAY, "alignment", ALIGNMENT);
  }

  @Override
  public String name() {
    return BeyondDialogueSettings.PIPELINE;
  }

  @Override
  public Class<? extends RolesynthOptions> optionsType() {
    return BeyondDialogueOptions.class;
  }

  @Override
  public String samplePool() {
    return "pipelines/beyond-dialogue/sample/roles.jsonl";
  }

  /** Source mode (the default) on the sample: the roles whose works ship beside them. */
  @Override
  public String samplePool(RolesynthOptions options) {
    return BeyondDialogueSettings.sourceMode(options.as(BeyondDialogueOptions.class))
        ? BeyondDialogueSettings.SAMPLE_SOURCES + "/roles.jsonl"
        : samplePool();
  }

  @Override
  public RecordMapper<Role> mapper(RolesynthOptions options) {
    // The source field (the authors' 文件路径) also tells apart one character taken from two texts.
    return new RoleMapper(
        RoleMapper.parseFieldMap(options.getFieldMap()),
        options.getMaxFieldChars(),
        List.of(
            options.as(dev.rolesynth.beyond.BeyondDialogueOptions.class).getSourceField().strip()));
  }

  @Override
  public Plan<Role> plan(RolesynthOptions options) {
    BeyondDialogueSettings settings =
        new BeyondDialogueSettings(options.as(BeyondDialogueOptions.class));
    return Plan.of(
        settings,
        (roles, run) -> {
          PCollectionTuple out =
              roles.apply("BeyondDialogue", new SynthesizeBeyondDialogues(settings, run));
          PCollection<ProfileDialogue> dialogues = out.get(SynthesizeBeyondDialogues.DIALOGUES);
          PCollection<RolePlaySample> rolePlay = out.get(SynthesizeBeyondDialogues.ROLE_PLAY);
          PCollection<AlignmentSample> alignment = out.get(SynthesizeBeyondDialogues.ALIGNMENT);
          PCollection<Failure> failures = out.get(SynthesizeBeyondDialogues.FAILURES);
          return new Outputs(
              List.of(
                  new Dataset<>("dialogues", dialogues, DIALOGUES),
                  new Dataset<>("roleplay", rolePlay, ROLE_PLAY),
                  new Dataset<>("alignment", alignment, ALIGNMENT)),
              failures);
        });
  }
}
