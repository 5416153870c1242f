package dev.rolesynth.ditto;

import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Ids;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stage 3 as a real multi-turn dialogue: each role's questions are put in a seeded order that mixes
 * in-knowledge and contrastive ones, then asked one per step, every answer made with the turns
 * before it as conversation history. Each next turn is a follow-up call made as soon as the turn
 * before it is answered, in the same group (no stage boundary per turn, so the rate limit stays
 * busy); a question whose call fails is skipped and the dialogue goes on.
 */
final class AnswerTurnByTurn extends PTransform<PCollection<QuerySet>, WithFailures.Result<PCollection<Conversation>, Failure>> {
  private final DittoSettings settings;
  private final RunInfo run;

  AnswerTurnByTurn(DittoSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Failure> expand(PCollection<QuerySet> plans) {
    PCollection<Conversation> current = plans
        .apply("OrderQuestions", ParDo.of(new StartFn(settings.seed)))
        .setCoder(KryoCoder.of(Conversation.class));
    TupleTag<Conversation> open = new TupleTag<>();
    TupleTag<Conversation> done = new TupleTag<>();
    PCollectionTuple split = current.apply("WithQuestions",
        ParDo.of(new SplitFn(open, done)).withOutputTags(open, TupleTagList.of(done)));
    var answered = split.get(open).setCoder(KryoCoder.of(Conversation.class))
        .apply("AnswerTurns", CallLlm.of(DittoTasks.answerTurn(settings), run.llm(),
            KryoCoder.of(Conversation.class), run.llmGroups()));
    PCollection<Conversation> all = PCollectionList.of(answered.output())
        .and(split.get(done).setCoder(KryoCoder.of(Conversation.class)))
        .apply("Finished", Flatten.pCollections())
        .setCoder(KryoCoder.of(Conversation.class));
    return WithFailures.Result.of(all, answered.failures());
  }

  /** Puts a role's questions in their seeded order, numbered so, and counts what the check dropped. */
  static final class StartFn extends DoFn<QuerySet, Conversation> {
    private final long seed;
    private final Counter knowable = Metrics.counter(CallLlm.METRICS, "ditto.contrastiveDroppedAsKnowable");

    StartFn(long seed) {
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element QuerySet plan, OutputReceiver<Conversation> out) {
      knowable.inc(plan.knowable());
      out.output(new Conversation(ordered(plan, seed), List.of(), 0));
    }

    static QuerySet ordered(QuerySet plan, long seed) {
      List<Query> order = new ArrayList<>(plan.queries());
      Collections.shuffle(order, new Random(Ids.seed(seed, "turn-order", plan.card().id())));
      List<Query> numbered = new ArrayList<>();
      for (Query q : order) {
        numbered.add(new Query(q.card(), numbered.size(), q.type(), q.question(), q.evidence(), q.sourceRoleId(),
            q.distractors()));
      }
      return new QuerySet(plan.card(), numbered, plan.knowable());
    }
  }

  static final class SplitFn extends DoFn<Conversation, Conversation> {
    private final TupleTag<Conversation> open;
    private final TupleTag<Conversation> done;

    SplitFn(TupleTag<Conversation> open, TupleTag<Conversation> done) {
      this.open = open;
      this.done = done;
    }

    @ProcessElement
    public void process(@Element Conversation c, MultiOutputReceiver out) {
      out.get(c.finished() ? done : open).output(c);
    }
  }
}
