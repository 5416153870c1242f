package dev.rolesynth.ditto;

import dev.rolesynth.ditto.Ditto.JudgeCall;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.ditto.Ditto.Vote;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Failures;
import dev.rolesynth.pipeline.KeepIf;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Stage 4: the three judges of Ditto's evaluation, each sampled n times at temperature 0.2 and
 * averaged as its evaluation script does, then the thresholds. A turn some sample of which failed
 * is dropped (its dead letters say why).
 */
final class JudgeTurns
    extends PTransform<PCollection<Turn>, WithFailures.Result<PCollection<Turn>, Failure>> {
  private final DittoSettings settings;
  private final RunInfo run;

  JudgeTurns(DittoSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public WithFailures.Result<PCollection<Turn>, Failure> expand(PCollection<Turn> turns) {
    var identity = turns.apply("JudgeIdentity", new SampleJudge(DittoJudges.identity(settings)));
    var refusal =
        identity.output().apply("JudgeRefusal", new SampleJudge(DittoJudges.refusal(settings)));
    PCollection<Turn> inKnowledge =
        refusal
            .output()
            .apply("InKnowledgeTurns", Filter.by(t -> t.query().type() == QueryType.IN_KNOWLEDGE));
    PCollection<Turn> contrastive =
        refusal
            .output()
            .apply("ContrastiveTurns", Filter.by(t -> t.query().type() == QueryType.CONTRASTIVE));
    var knowledge =
        inKnowledge.apply("JudgeKnowledge", new SampleJudge(DittoJudges.knowledge(settings)));
    PCollection<Turn> judged =
        PCollectionList.of(knowledge.output())
            .and(contrastive)
            .apply("FlattenJudged", Flatten.pCollections())
            .setCoder(KryoCoder.of(Turn.class));
    int minKnowledgeScore = settings.minKnowledgeScore;
    var filtered =
        judged.apply(
            "ApplyThresholds", KeepIf.passing(t -> Thresholds.reject(t, minKnowledgeScore)));
    PCollection<Failure> failures =
        Failures.flatten(
            "FlattenJudgeFailures",
            List.of(
                identity.failures(),
                refusal.failures(),
                knowledge.failures(),
                filtered.failures()));
    return WithFailures.Result.of(filtered.output(), failures);
  }

  /** One judge: n samples of every turn, called, then the votes of each turn averaged into it. */
  final class SampleJudge
      extends PTransform<PCollection<Turn>, WithFailures.Result<PCollection<Turn>, Failure>> {
    private final DittoJudges.Judge judge;

    SampleJudge(DittoJudges.Judge judge) {
      this.judge = judge;
    }

    @Override
    public WithFailures.Result<PCollection<Turn>, Failure> expand(PCollection<Turn> turns) {
      int n = settings.judgeSamples;
      var votes =
          turns
              .apply("Sample", ParDo.of(new SampleFn(n)))
              .setCoder(KryoCoder.of(JudgeCall.class))
              .apply(
                  "Call",
                  CallLlm.of(judge.stage(), run.llm(), KryoCoder.of(Vote.class), run.llmGroups()));
      PCollection<Turn> tallied =
          votes
              .output()
              .apply("KeyByTurn", WithKeys.of((Vote x) -> x.turn().query().callId()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(Vote.class)))
              .apply("GroupVotes", GroupByKey.create())
              .apply("Average", ParDo.of(new TallyFn(judge.tally(), n)))
              .setCoder(KryoCoder.of(Turn.class));
      return WithFailures.Result.of(tallied, votes.failures());
    }
  }

  static final class SampleFn extends DoFn<Turn, JudgeCall> {
    private final int n;

    SampleFn(int n) {
      this.n = n;
    }

    @ProcessElement
    public void process(@Element Turn t, OutputReceiver<JudgeCall> out) {
      for (int i = 0; i < n; i++) {
        out.output(new JudgeCall(t, i));
      }
    }
  }

  /** Averages a turn's votes; a turn with a missing sample (its call failed) is left out. */
  static final class TallyFn extends DoFn<KV<String, Iterable<Vote>>, Turn> {
    private final DittoJudges.Tally tally;
    private final int n;

    TallyFn(DittoJudges.Tally tally, int n) {
      this.tally = tally;
      this.n = n;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Vote>> group, OutputReceiver<Turn> out) {
      List<Vote> votes = new ArrayList<>();
      Set<Integer> samples = new HashSet<>();
      for (Vote v : group.getValue()) {
        if (samples.add(v.sample())) { // a retried bundle may repeat a vote
          votes.add(v);
        }
      }
      if (votes.size() == n) {
        votes.sort(Comparator.comparingInt(Vote::sample));
        out.output(tally.apply(votes.get(0).turn(), votes));
      }
    }
  }

  /**
   * Keeps a turn only if the judges found the right role, the expected refusal, and enough
   * knowledge.
   */
  static final class Thresholds {
    private Thresholds() {}

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
}
