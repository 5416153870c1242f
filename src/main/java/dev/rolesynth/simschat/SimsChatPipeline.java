package dev.rolesynth.simschat;

import static dev.rolesynth.simschat.Stages.partners;

import com.google.auto.service.AutoService;
import dev.rolesynth.avro.SimsChatCharacter;
import dev.rolesynth.avro.SimsChatDialogue;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.DistinctNames;
import dev.rolesynth.pipeline.EachWithEveryone;
import dev.rolesynth.pipeline.JqForm;
import dev.rolesynth.pipeline.Recipe;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pipeline.Settings;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Dialogue;
import dev.rolesynth.simschat.SimsChat.Elements;
import dev.rolesynth.simschat.SimsChat.Scene;
import org.apache.beam.sdk.values.PCollection;

/** SimsChat as a recipe: its datasets, its graph, and what it made as records. */
@AutoService(RolePipeline.class)
public final class SimsChatPipeline extends Recipe<Elements, Settings<SimsChatKnobs>> {
  static final Renderings<SimsChatDialogue> DIALOGUES =
      Renderings.of(SimsChatDialogue.class)
          .with("simschat", JqForm.of(SimsChat.PIPELINE, "dialogue.jq"))
          .with("chat", JqForm.of(SimsChat.PIPELINE, "turns.jq").then("chat"))
          .with("alpaca", JqForm.of(SimsChat.PIPELINE, "turns.jq").then("alpaca"));
  static final Renderings<SimsChatCharacter> CHARACTERS =
      Renderings.of(SimsChatCharacter.class)
          .with("json", SimsChatCharacter::toString)
          .with("simschat", JqForm.of(SimsChat.PIPELINE, "character.jq"));

  public SimsChatPipeline() {
    super(SimsChat.PIPELINE, "characters.jsonl");
    settledBy(SimsChatKnobs.class);
    reads(options -> new ElementsMapper());
    refusesFieldMap("its pool lines are {career, aspiration, traits, skill}");
    dataset("dialogues", DIALOGUES);
    dataset("characters", CHARACTERS);
  }

  @Override
  public long expectedCallsPerRecord(RolesynthOptions options) {
    return 3L + knobs(options, SimsChatKnobs.class).scenesPerCharacter();
  }

  /**
   * SimsChat (docs/pipelines/simschat.md): career, aspiration, traits and skill become personal and
   * social aspects, the aspects a second-person profile, the profile scenes, and each scene a
   * dialogue about its topic in an emotion, the character's lines marked as speaking or thinking.
   */
  @Override
  protected void build(PCollection<Elements> elements, Settings<SimsChatKnobs> s, Build b) {
    var aspects =
        DistinctNames.name(
            b,
            "WriteAspects",
            elements,
            Stages.aspects(s),
            Character.class,
            Character::name,
            Character::elements);
    var profiles = b.call("WriteProfiles", aspects, Stages.profile(s), Character.class);
    int n = s.opt.scenesPerCharacter();
    var cast =
        b.collect(
            profiles.apply(
                "MeetOthers",
                EachWithEveryone.of(
                    Character.class,
                    (c, all, out) -> out.output(c.withPartners(partners(c, all, n, s.seed))))));
    var scenes = b.call("WriteScenes", cast, Stages.scenes(s), Scene.class);
    var dialogues = b.call("WriteDialogues", scenes, Stages.dialogue(s), Dialogue.class);
    RunInfo run = b.run();
    b.write("dialogues", dialogues, d -> dialogue(s, d, run));
    b.write("characters", profiles, c -> character(c, run));
  }

  static SimsChatDialogue dialogue(Settings<SimsChatKnobs> s, Dialogue d, RunInfo run) {
    Scene sc = d.scene();
    return AvroRecords.from(d)
        .with("id", sc.character().elements().id() + "/" + sc.index())
        .with("character", sc.character().name())
        .with("source", "generated")
        .with("system", s.render("character.system", Stages.sceneContext(sc)))
        .with("provenance", run.provenance(sc, d.llmCalls()))
        .as(SimsChatDialogue.class);
  }

  static SimsChatCharacter character(Character c, RunInfo run) {
    return AvroRecords.from(c)
        .with("id", c.elements().id())
        .with("provenance", run.provenance(c, c.llmCalls()))
        .as(SimsChatCharacter.class);
  }
}
