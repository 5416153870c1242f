package dev.rolesynth.ditto;

import dev.rolesynth.ditto.Ditto.JudgeCall;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.ditto.Ditto.Vote;
import dev.rolesynth.pipeline.Build;
import dev.rolesynth.pipeline.Failure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.values.PCollection;

/**
 * Stage 4: the three judges of Ditto's evaluation, each sampled n times at temperature 0.2 and
 * averaged as its evaluation script does, then the thresholds. A turn some sample of which failed
 * is dropped (its dead letters say why).
 */
final class JudgeTurns {
  private JudgeTurns() {}

  static PCollection<Turn> expand(PCollection<Turn> turns, DittoSettings settings, Build b) {
    var identity = sampled("JudgeIdentity", turns, DittoJudges.identity(settings), settings, b);
    var refusal = sampled("JudgeRefusal", identity, DittoJudges.refusal(settings), settings, b);
    var inKnowledge =
        refusal.apply(
            "InKnowledgeTurns", Filter.by(t -> t.query().type() == QueryType.IN_KNOWLEDGE));
    var contrastive =
        refusal.apply(
            "ContrastiveTurns", Filter.by(t -> t.query().type() == QueryType.CONTRASTIVE));
    var knowledge =
        sampled("JudgeKnowledge", inKnowledge, DittoJudges.knowledge(settings), settings, b);
    var judged = b.flatten("FlattenJudged", Turn.class, List.of(knowledge, contrastive));
    int minKnowledgeScore = settings.opt.minKnowledgeScore();
    return b.keepIf("ApplyThresholds", judged, t -> reject(t, minKnowledgeScore));
  }

  /** One judge: n samples of every turn, called, then the votes of each turn averaged into it. */
  private static PCollection<Turn> sampled(
      String name,
      PCollection<Turn> turns,
      DittoJudges.Judge judge,
      DittoSettings settings,
      Build b) {
    int n = settings.opt.judgeSamples();
    var calls =
        b.flatMap(
            name + "/Sample",
            turns,
            JudgeCall.class,
            t -> IntStream.range(0, n).mapToObj(i -> new JudgeCall(t, i)).toList());
    var votes = b.call(name + "/Call", calls, judge.stage(), Vote.class);
    return b.flatMap(
        name + "/Average",
        b.groupBy(name + "/GroupVotes", votes, x -> x.turn().query().callId(), Vote.class),
        Turn.class,
        group -> tally(judge.tally(), n, group.getValue()));
  }

  /** A turn's votes averaged; none when a sample is missing (its call failed). */
  static List<Turn> tally(DittoJudges.Tally tally, int n, Iterable<Vote> all) {
    List<Vote> votes = new ArrayList<>();
    Set<Integer> samples = new HashSet<>();
    for (Vote v : all) {
      if (samples.add(v.sample())) { // a retried bundle may repeat a vote
        votes.add(v);
      }
    }
    if (votes.size() != n) {
      return List.of();
    }
    votes.sort(Comparator.comparingInt(Vote::sample));
    return List.of(tally.apply(votes.get(0).turn(), votes));
  }

  /**
   * Keeps a turn only if the judges found the right role, the expected refusal, and enough
   * knowledge.
   */
  static Failure reject(Turn t, int minKnowledgeScore) {
    String problem = problem(t, minKnowledgeScore);
    return problem == null
        ? null
        : new Failure(
            t.query().card().id(),
            t.query().callId(),
            "ditto_judges",
            "judge_filtered",
            problem,
            t.query().card().role().origin());
  }

  static String problem(Turn t, int minKnowledgeScore) {
    var j = t.judgement();
    if (!Boolean.TRUE.equals(j.identityCorrect())) {
      return "identity judge picked "
          + j.identityChoice()
          + " ("
          + share(j.identityShare())
          + " of samples picked the role)";
    }
    int expected = t.query().expectRefusal() ? 1 : 0;
    if (j.refusal() == null || j.refusal() != expected) {
      return t.query().expectRefusal()
          ? "contrastive question was answered instead of declined"
          : "in-knowledge question was declined";
    }
    if (t.query().type() == QueryType.IN_KNOWLEDGE
        && (j.knowledgeScore() == null || j.knowledgeScore() < minKnowledgeScore)) {
      return String.format(
          Locale.ROOT, "knowledge score %.2f is below %d", j.knowledgeScore(), minKnowledgeScore);
    }
    return null;
  }

  private static String share(Double s) {
    return s == null ? "none" : Math.round(s * 100) + " %";
  }
}
