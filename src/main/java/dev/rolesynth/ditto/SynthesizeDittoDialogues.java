package dev.rolesynth.ditto;

import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.ditto.Ditto.OtherRole;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QueryInput;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.AvroRecordCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Ditto (methods.md, section Ditto): roles in, self-aligned role-play dialogues out.
 *
 * <ol>
 *   <li>build each role's knowledge card and short system prompt;
 *   <li>simulate questions: in-knowledge ones from the card, contrastive ones from other roles' cards;
 *   <li>simulate in-role answers with the card injected as reading material, declining past it;
 *   <li>optionally judge each turn (identity among 4 candidates, refusal, knowledge) and filter;
 *   <li>drop the injected knowledge and assemble the system prompt plus the dialogue.
 * </ol>
 *
 * Every role ends as a dialogue or a failure; a turn whose call fails or whose judges reject it is
 * dropped from its dialogue and counted in {@code droppedTurns}.
 */
public final class SynthesizeDittoDialogues
    extends PTransform<PCollection<Role>, WithFailures.Result<PCollection<DittoDialogue>, Failure>> {
  private final DittoSettings settings;
  private final RunInfo run;

  public SynthesizeDittoDialogues(DittoSettings settings, RunInfo run) {
    this.settings = settings;
    this.run = run;
  }

  @Override
  public WithFailures.Result<PCollection<DittoDialogue>, Failure> expand(PCollection<Role> roles) {
    var cards = roles.apply("BuildKnowledgeCards", call(new DittoTasks.BuildKnowledgeCard(settings), RoleCard.class));

    PCollectionView<List<OtherRole>> others =
        cards.output()
            .apply("SummariseForOtherRoles", ParDo.of(new SummariseFn()))
            .setCoder(KryoCoder.of(OtherRole.class))
            .apply("AsSideInput", View.asList());
    var querySets =
        cards.output()
            .apply("PickContrastiveSources", ParDo.of(new PickOthersFn(settings, others)).withSideInputs(others))
            .setCoder(KryoCoder.of(QueryInput.class))
            .apply("SimulateQueries", call(new DittoTasks.SimulateQueries(settings), QuerySet.class));

    PCollection<Query> queries =
        querySets.output().apply("FanOutQueries", ParDo.of(new FanOutFn())).setCoder(KryoCoder.of(Query.class));
    var answered = queries.apply("SimulateResponses", call(new DittoTasks.AnswerQuery(settings), Turn.class));

    PCollection<Turn> turns = answered.output();
    List<PCollection<Failure>> droppedTurns = new ArrayList<>(List.of(answered.failures()));
    if (settings.judge) {
      var judged = turns.apply("JudgeTurns", new JudgeTurns());
      turns = judged.output();
      droppedTurns.add(judged.failures());
    }

    var dialogues =
        turns.apply(
            "AssembleDialogues",
            new AssembleDialogues(settings, run, querySets.output(), flatten("FlattenDroppedTurns", droppedTurns)));

    PCollection<Failure> failures =
        flatten("FlattenRoleFailures", List.of(cards.failures(), querySets.failures(), dialogues.failures()));
    return WithFailures.Result.of(dialogues.output(), failures);
  }

  private <I, O extends Serializable> CallLlm<I, O> call(LlmTask<I, O> task, Class<O> type) {
    return CallLlm.of(task, run.llm(), KryoCoder.of(type), run.llmGroups());
  }

  static PCollection<Failure> flatten(String name, List<PCollection<Failure>> parts) {
    return PCollectionList.of(parts).apply(name, Flatten.pCollections()).setCoder(KryoCoder.of(Failure.class));
  }

  /** Stage 4: the three judges of Ditto's evaluation, then the thresholds. */
  final class JudgeTurns extends PTransform<PCollection<Turn>, WithFailures.Result<PCollection<Turn>, Failure>> {
    @Override
    public WithFailures.Result<PCollection<Turn>, Failure> expand(PCollection<Turn> turns) {
      var identity = turns.apply("JudgeIdentity", call(new DittoTasks.JudgeIdentity(settings), Turn.class));
      var refusal = identity.output().apply("JudgeRefusal", call(new DittoTasks.JudgeRefusal(settings), Turn.class));
      PCollection<Turn> inKnowledge =
          refusal.output().apply("InKnowledgeTurns", Filter.by(t -> t.query().type() == QueryType.IN_KNOWLEDGE));
      PCollection<Turn> contrastive =
          refusal.output().apply("ContrastiveTurns", Filter.by(t -> t.query().type() == QueryType.CONTRASTIVE));
      var knowledge = inKnowledge.apply("JudgeKnowledge", call(new DittoTasks.JudgeKnowledge(settings), Turn.class));
      PCollection<Turn> judged =
          PCollectionList.of(knowledge.output()).and(contrastive)
              .apply("FlattenJudged", Flatten.pCollections())
              .setCoder(KryoCoder.of(Turn.class));
      TupleTag<Turn> kept = new TupleTag<>();
      TupleTag<Failure> rejected = new TupleTag<>();
      PCollectionTuple filtered =
          judged.apply("ApplyThresholds", ParDo.of(new ThresholdFn(settings.minKnowledgeScore, kept, rejected))
              .withOutputTags(kept, TupleTagList.of(rejected)));
      PCollection<Failure> failures =
          flatten("FlattenJudgeFailures", List.of(identity.failures(), refusal.failures(), knowledge.failures(),
              filtered.get(rejected).setCoder(KryoCoder.of(Failure.class))));
      return WithFailures.Result.of(filtered.get(kept).setCoder(KryoCoder.of(Turn.class)), failures);
    }
  }

  /** A role as other roles see it: name and a few facts. */
  static final class SummariseFn extends DoFn<RoleCard, OtherRole> {
    @ProcessElement
    public void process(@Element RoleCard card, OutputReceiver<OtherRole> out) {
      out.output(new OtherRole(card.id(), card.role().name(), card.knowledge().subList(0, Math.min(3, card.knowledge().size()))));
    }
  }

  /**
   * Picks, with a seed per role, the other roles whose knowledge feeds this role's contrastive
   * questions, and three other names to serve as the identity judge's distractors.
   */
  static final class PickOthersFn extends DoFn<RoleCard, QueryInput> {
    private final DittoSettings settings;
    private final PCollectionView<List<OtherRole>> othersView;
    private transient Others sorted;
    private transient List<OtherRole> sortedFrom;

    PickOthersFn(DittoSettings settings, PCollectionView<List<OtherRole>> othersView) {
      this.settings = settings;
      this.othersView = othersView;
    }

    @ProcessElement
    public void process(@Element RoleCard card, ProcessContext c) {
      List<OtherRole> all = c.sideInput(othersView);
      if (sortedFrom != all) {
        sorted = new Others(all);
        sortedFrom = all;
      }
      c.output(pick(card, sorted, settings));
    }

    static QueryInput pick(RoleCard card, List<OtherRole> all, DittoSettings settings) {
      return pick(card, new Others(all), settings);
    }

    static QueryInput pick(RoleCard card, Others others, DittoSettings settings) {
      Others.Candidates candidates = others.without(card.id(), card.role().name());
      int wanted = Math.min(candidates.size(), Math.max(settings.contrastiveSources, 3));
      Random random = new Random(dev.rolesynth.pipeline.Ids.seed(settings.seed, "others", card.id()));
      List<OtherRole> picked = new ArrayList<>();
      Set<Integer> used = new HashSet<>();
      while (picked.size() < wanted) {
        int i = random.nextInt(candidates.size());
        if (used.add(i) && picked.stream().noneMatch(p -> p.name().equals(candidates.get(i).name()))) {
          picked.add(candidates.get(i));
        } else if (used.size() == candidates.size()) {
          break;
        }
      }
      List<String> distractors = new ArrayList<>();
      for (OtherRole o : picked.subList(0, Math.min(3, picked.size()))) {
        distractors.add(o.name());
      }
      List<OtherRole> sources = settings.contrastiveQueries == 0
          ? List.of()
          : picked.subList(0, Math.min(settings.contrastiveSources, picked.size()));
      return new QueryInput(card, sources, distractors);
    }
  }

  /**
   * Every role as others see it, sorted by id, with the roles of each name indexed, so that "all roles
   * but this one and its namesakes" is a view found in logarithmic time, not a copy per role (a pool
   * of 100,000 roles would otherwise cost 10^10 steps).
   */
  static final class Others {
    private final List<OtherRole> sorted;
    private final java.util.Map<String, List<Integer>> byName = new java.util.HashMap<>();

    Others(List<OtherRole> all) {
      sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparing(OtherRole::id));
      for (int i = 0; i < sorted.size(); i++) {
        byName.computeIfAbsent(sorted.get(i).name(), k -> new ArrayList<>()).add(i);
      }
    }

    /** The roles other than {@code id} and those named {@code name}, in id order. */
    Candidates without(String id, String name) {
      java.util.TreeSet<Integer> skip = new java.util.TreeSet<>(byName.getOrDefault(name, List.of()));
      int at = java.util.Collections.binarySearch(sorted, new OtherRole(id, "", List.of()), Comparator.comparing(OtherRole::id));
      if (at >= 0) {
        skip.add(at);
      }
      return new Candidates(skip.stream().mapToInt(Integer::intValue).toArray());
    }

    final class Candidates {
      private final int[] skipped; // ascending positions left out

      Candidates(int[] skipped) {
        this.skipped = skipped;
      }

      int size() {
        return sorted.size() - skipped.length;
      }

      /** The i-th role left in: i plus the skipped positions at or before where it lands. */
      OtherRole get(int i) {
        int at = i;
        for (int s : skipped) {
          if (s <= at) {
            at++;
          } else {
            break;
          }
        }
        return sorted.get(at);
      }
    }
  }

  static final class FanOutFn extends DoFn<QuerySet, Query> {
    @ProcessElement
    public void process(@Element QuerySet set, OutputReceiver<Query> out) {
      set.queries().forEach(out::output);
    }
  }

  /** Keeps a turn only if the judges found the right role, the expected refusal, and enough knowledge. */
  static final class ThresholdFn extends DoFn<Turn, Turn> {
    private final int minKnowledgeScore;
    private final TupleTag<Turn> kept;
    private final TupleTag<Failure> rejected;

    ThresholdFn(int minKnowledgeScore, TupleTag<Turn> kept, TupleTag<Failure> rejected) {
      this.minKnowledgeScore = minKnowledgeScore;
      this.kept = kept;
      this.rejected = rejected;
    }

    @ProcessElement
    public void process(@Element Turn t, MultiOutputReceiver out) {
      String problem = problem(t, minKnowledgeScore);
      if (problem == null) {
        out.get(kept).output(t);
      } else {
        out.get(rejected).output(new Failure(t.query().card().id(), t.query().callId(), "ditto_judges", "judge_filtered",
            problem, t.query().card().role().origin()));
      }
    }

    static String problem(Turn t, int minKnowledgeScore) {
      var j = t.judgement();
      if (!Boolean.TRUE.equals(j.identityCorrect())) {
        return "identity judge picked " + j.identityChoice();
      }
      int expected = t.query().expectRefusal() ? 1 : 0;
      if (j.refusal() == null || j.refusal() != expected) {
        return t.query().expectRefusal() ? "contrastive question was answered instead of declined" : "in-knowledge question was declined";
      }
      if (t.query().type() == QueryType.IN_KNOWLEDGE && (j.knowledgeScore() == null || j.knowledgeScore() < minKnowledgeScore)) {
        return "knowledge score " + j.knowledgeScore() + " is below " + minKnowledgeScore;
      }
      return null;
    }
  }

  static Coder<DittoDialogue> dialogueCoder() {
    return AvroRecordCoder.of(DittoDialogue.class);
  }
}
