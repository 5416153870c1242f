package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The dialogue loop, unrolled into the graph one utterance at a time: the speaker's aspect chosen
 * (the seeker's second utterance is about their recent worry, as the authors force it), the
 * utterance written, and after each seeker utterance their sentiment scored. Dialogues the stop
 * rule closed, or that reached the limit, leave the loop; a failed call drops its dialogue as a
 * dead letter.
 */
final class TakeTurns
    extends PTransform<PCollection<Talk>, WithFailures.Result<PCollection<Talk>, Failure>> {
  private final CharacterChatSettings settings;
  private final RunInfo run;

  TakeTurns(CharacterChatSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public WithFailures.Result<PCollection<Talk>, Failure> expand(PCollection<Talk> talks) {
    CharacterChatSettings s = settings;
    List<PCollection<Failure>> failures = new ArrayList<>();
    List<PCollection<Talk>> finished = new ArrayList<>();
    PCollection<Talk> going = talks;
    for (int u = 1; u <= s.maxUtterances; u++) {
      String at = "Utterance" + u;
      PCollectionList<Talk> split =
          going.apply(at + "/LeaveIfDone", Partition.of(2, (Talk t, int n) -> t.done() ? 1 : 0));
      finished.add(split.get(1));
      going = split.get(0);
      boolean seeker = u % 2 == 1;
      if (u == 3) { // the seeker's second utterance
        going =
            going
                .apply(
                    at + "/AboutTheWorry",
                    MapElements.into(TypeDescriptor.of(Talk.class))
                        .via(
                            (Talk t) ->
                                t.choosing(
                                    "recent_worry",
                                    Stages.aspects(t.seeker()).get("recent_worry"))))
                .setCoder(KryoCoder.of(Talk.class));
      } else {
        var chosen = going.apply(at + "/ChooseAspect", run.call(Stages.select(s), Talk.class));
        failures.add(chosen.failures());
        going = chosen.output();
      }
      var said = going.apply(at + "/Say", run.call(Stages.reply(s), Talk.class));
      failures.add(said.failures());
      going = said.output();
      if (seeker) {
        var felt = going.apply(at + "/ScoreSentiment", run.call(Stages.sentiment(s), Talk.class));
        failures.add(felt.failures());
        going = felt.output();
      }
    }
    finished.add(going);
    PCollection<Talk> all =
        PCollectionList.of(finished)
            .apply("AllDialogues", Flatten.pCollections())
            .setCoder(KryoCoder.of(Talk.class));
    return WithFailures.Result.of(all, Failures.flatten("TurnFailures", failures));
  }
}
