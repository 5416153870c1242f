package dev.rolesynth.characterchat;

import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The dialogue loop as the authors run it, unrolled into the graph one utterance at a time: the
 * seeker opens with a fixed "Hello" (no call, not scored); then each speaker's aspect is chosen
 * (the seeker's first real utterance is about their recent worry, as the authors force it), the
 * utterance written and, after each seeker utterance, their sentiment scored. Once the dialogue is
 * closing (the stop rule, or two utterances before the limit) the two speakers say goodbye, drawing
 * on no aspect and not scored, and the dialogue leaves the loop. A failed call drops its dialogue
 * as a dead letter.
 */
final class TakeTurns {
  private TakeTurns() {}

  static PCollection<Talk> expand(
      PCollection<Talk> talks, Settings<CharacterChatKnobs> s, Build b) {
    List<PCollection<Talk>> finished = new ArrayList<>();
    PCollection<Talk> going =
        b.map(
            "Utterance1/Hello", talks, Talk.class, t -> t.said(Talk.HELLO, s.opt.maxUtterances()));
    for (int u = 2; u <= s.opt.maxUtterances(); u++) {
      String at = "Utterance" + u;
      PCollectionList<Talk> split =
          going.apply(at + "/LeaveIfDone", Partition.of(2, (Talk t, int n) -> t.done() ? 1 : 0));
      finished.add(split.get(1));
      going = split.get(0);
      // one path for every talk, goodbyes too (a goodbye needs no aspect and is not scored):
      // a branch and merge per utterance would make Flink's plan grow with two to the utterances
      going =
          u == 3 // the seeker's first utterance after "Hello"
              ? b.map(at + "/AboutTheWorry", going, Talk.class, TakeTurns::aboutTheWorry)
              : b.call(
                  at + "/ChooseAspect",
                  going,
                  Stages.select(s).skipping(t -> t.closing() ? List.of(t) : null),
                  Talk.class);
      going = b.call(at + "/Say", going, Stages.reply(s), Talk.class);
      if (u % 2 == 1) { // the seeker's
        going =
            b.call(
                at + "/ScoreSentiment",
                going,
                Stages.sentiment(s).skipping(t -> t.farewells() > 0 ? List.of(t) : null),
                Talk.class);
      }
    }
    finished.add(going);
    return b.flatten("AllDialogues", Talk.class, finished);
  }

  private static Talk aboutTheWorry(Talk t) {
    return t.choosing(CharacterChat.WORRY, Stages.aspects(t.seeker()).get(CharacterChat.WORRY));
  }
}
