package dev.rolesynth.simschat;

import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Dialogue;
import dev.rolesynth.simschat.SimsChat.Elements;
import dev.rolesynth.simschat.SimsChat.Scene;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * SimsChat (docs/pipelines/simschat.md): career, aspiration, traits and skill become personal and
 * social aspects, the aspects a second-person profile, the profile scenes, and each scene a
 * dialogue about its topic in an emotion, the character's lines marked as speaking or thinking.
 */
final class SynthesizeSimsChat extends PTransform<PCollection<Elements>, PCollectionTuple> {
  static final TupleTag<Dialogue> DIALOGUES = new TupleTag<>("dialogues");
  static final TupleTag<Character> CHARACTERS = new TupleTag<>("characters");
  static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final SimsChatSettings settings;
  private final RunInfo run;

  SynthesizeSimsChat(SimsChatSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<Elements> elements) {
    SimsChatSettings s = settings;
    var aspects = elements.apply("WriteAspects", run.call(Stages.aspects(s), Character.class));
    var profiles =
        aspects.output().apply("WriteProfiles", run.call(Stages.profile(s), Character.class));
    var scenes = profiles.output().apply("WriteScenes", run.call(Stages.scenes(s), Scene.class));
    var dialogues =
        scenes.output().apply("WriteDialogues", run.call(Stages.dialogue(s), Dialogue.class));
    return PCollectionTuple.of(DIALOGUES, dialogues.output())
        .and(CHARACTERS, profiles.output())
        .and(
            FAILURES,
            Failures.flatten(
                "FlattenFailures",
                List.of(
                    aspects.failures(),
                    profiles.failures(),
                    scenes.failures(),
                    dialogues.failures())));
  }
}
