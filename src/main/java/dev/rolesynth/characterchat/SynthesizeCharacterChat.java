package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.MbtiType;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.FanOut;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * CharacterChat (docs/pipelines/characterchat.md): profiles per MBTI type, filled, expanded and
 * rewritten in the second person, with tone examples; each person as a seeker with supporters drawn
 * by the seed; the dialogues taken turn by turn until the stop rule closes them; each finished
 * dialogue scored.
 */
final class SynthesizeCharacterChat extends PTransform<PCollection<MbtiType>, PCollectionTuple> {
  static final TupleTag<Scored> DIALOGUES = new TupleTag<>("dialogues");
  static final TupleTag<Person> PROFILES = new TupleTag<>("profiles");
  static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final CharacterChatSettings settings;
  private final RunInfo run;

  SynthesizeCharacterChat(CharacterChatSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public PCollectionTuple expand(PCollection<MbtiType> types) {
    CharacterChatSettings s = settings;
    var profiles =
        types
            .apply(
                "PlanProfiles",
                FanOut.into(
                    Slot.class,
                    t ->
                        IntStream.rangeClosed(1, s.profilesPerType)
                            .mapToObj(i -> new Slot(t, i))
                            .toList()))
            .apply("FillProfiles", run.call(Stages.profile(s), Person.class));
    var expanded =
        profiles.output().apply("ExpandProfiles", run.call(Stages.expand(s), Person.class));
    var second =
        expanded.output().apply("InTheSecondPerson", run.call(Stages.transform(s), Person.class));
    var people = second.output().apply("WriteToneExamples", run.call(Stages.tone(s), Person.class));
    var pairs =
        people
            .output()
            .apply("MatchSupporters", new MatchSupporters(s.supportersPerSeeker, s.seed));
    var talks = pairs.output().apply("TakeTurns", new TakeTurns(s, run));
    List<PCollection<Failure>> failures =
        new ArrayList<>(
            List.of(
                profiles.failures(),
                expanded.failures(),
                second.failures(),
                people.failures(),
                pairs.failures(),
                talks.failures()));
    PCollection<Scored> scored;
    if (s.score) {
      var r = talks.output().apply("ScoreDialogues", run.call(Stages.score(s), Scored.class));
      failures.add(r.failures());
      scored = r.output();
    } else {
      scored =
          talks
              .output()
              .apply(
                  "Unscored",
                  MapElements.into(TypeDescriptor.of(Scored.class))
                      .via((Talk t) -> new Scored(t, 0, 0, 0, "")))
              .setCoder(KryoCoder.of(Scored.class));
    }
    return PCollectionTuple.of(DIALOGUES, scored)
        .and(PROFILES, people.output())
        .and(FAILURES, Failures.flatten("FlattenFailures", failures));
  }
}
