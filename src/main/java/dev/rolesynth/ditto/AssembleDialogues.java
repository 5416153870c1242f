package dev.rolesynth.ditto;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.avro.DittoJudgeScores;
import dev.rolesynth.avro.DittoQueryType;
import dev.rolesynth.avro.DittoTurnInfo;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RunInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stage 5: joins each role's surviving turns, strips the injected knowledge and emits the SFT
 * dialogue (system prompt, then user/assistant turns in a seeded order that mixes in-knowledge and
 * contrastive questions). A role left with fewer than {@code minTurns} turns becomes a failure
 * listing why its turns were dropped.
 */
final class AssembleDialogues
    extends PTransform<
        PCollection<Turn>, WithFailures.Result<PCollection<DittoDialogue>, Failure>> {
  private final DittoSettings settings;
  private final RunInfo run;
  private final PCollection<QuerySet> plans;
  private final PCollection<Failure> dropped;

  AssembleDialogues(
      DittoSettings settings,
      RunInfo run,
      PCollection<QuerySet> plans,
      PCollection<Failure> dropped) {
    this.settings = settings;
    this.run = run;
    this.plans = plans;
    this.dropped = dropped;
  }

  @Override
  public WithFailures.Result<PCollection<DittoDialogue>, Failure> expand(PCollection<Turn> turns) {
    TupleTag<QuerySet> planTag = new TupleTag<>();
    TupleTag<Turn> turnTag = new TupleTag<>();
    TupleTag<Failure> dropTag = new TupleTag<>();
    PCollection<KV<String, CoGbkResult>> joined =
        GroupByKeys.named("JoinByRole")
            .with(planTag, plans, q -> q.card().id(), QuerySet.class)
            .with(turnTag, turns, t -> t.query().card().id(), Turn.class)
            .with(dropTag, dropped, Failure::recordId, Failure.class)
            .group();
    TupleTag<DittoDialogue> out = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple result =
        joined.apply(
            "BuildRecords",
            ParDo.of(new BuildFn(settings, run, planTag, turnTag, dropTag, out, failures))
                .withOutputTags(out, TupleTagList.of(failures)));
    return WithFailures.Result.of(
        result.get(out).setCoder(AvroRecordCoder.of(DittoDialogue.class)),
        result.get(failures).setCoder(KryoCoder.of(Failure.class)));
  }

  static final class BuildFn extends DoFn<KV<String, CoGbkResult>, DittoDialogue> {
    private final DittoSettings settings;
    private final RunInfo run;
    private final TupleTag<QuerySet> planTag;
    private final TupleTag<Turn> turnTag;
    private final TupleTag<Failure> dropTag;
    private final TupleTag<DittoDialogue> out;
    private final TupleTag<Failure> failures;

    BuildFn(
        DittoSettings settings,
        RunInfo run,
        TupleTag<QuerySet> planTag,
        TupleTag<Turn> turnTag,
        TupleTag<Failure> dropTag,
        TupleTag<DittoDialogue> out,
        TupleTag<Failure> failures) {
      this.settings = settings;
      this.run = run;
      this.planTag = planTag;
      this.turnTag = turnTag;
      this.dropTag = dropTag;
      this.out = out;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver receiver) {
      QuerySet plan = joined.getValue().getOnly(planTag, null);
      if (plan == null) {
        return; // the role failed before its questions existed; that failure is already recorded
      }
      List<Turn> turns = new ArrayList<>();
      joined.getValue().getAll(turnTag).forEach(turns::add);
      List<Failure> drops = new ArrayList<>();
      joined.getValue().getAll(dropTag).forEach(drops::add);
      if (turns.size() < settings.minTurns) {
        receiver
            .get(failures)
            .output(
                new Failure(
                    plan.card().id(),
                    plan.card().id(),
                    "ditto_assemble",
                    "too_few_turns",
                    turns.size()
                        + " of "
                        + plan.queries().size()
                        + " turns survived (need "
                        + settings.minTurns
                        + "): "
                        + summarise(drops),
                    plan.card().role().origin()));
        return;
      }
      receiver.get(out).output(build(plan, turns, settings, run));
    }

    private static String summarise(List<Failure> drops) {
      Map<String, Integer> byReason = new TreeMap<>();
      drops.forEach(d -> byReason.merge(d.stage() + "/" + d.reason(), 1, Integer::sum));
      return byReason.isEmpty() ? "no turn failures recorded" : byReason.toString();
    }
  }

  static DittoDialogue build(QuerySet plan, List<Turn> turns, DittoSettings settings, RunInfo run) {
    RoleCard card = plan.card();
    // Asked in this order (AnswerTurnByTurn), each answer having seen the turns before it.
    List<Turn> ordered = new ArrayList<>(turns);
    ordered.sort(Comparator.comparingInt(t -> t.query().index()));
    int droppedTurns = plan.queries().size() - ordered.size();
    List<ChatTurn> messages = new ArrayList<>();
    messages.add(new ChatTurn("system", card.systemPrompt()));
    List<DittoTurnInfo> infos = new ArrayList<>();
    boolean checked =
        settings.checkContrastive
            && (plan.knowable() > 0 || plan.queries().stream().anyMatch(Query::expectRefusal));
    int calls = checked ? 3 : 2;
    for (Turn t : ordered) {
      messages.add(new ChatTurn("user", t.query().question()));
      messages.add(new ChatTurn("assistant", t.answer()));
      var j = t.judgement();
      DittoJudgeScores scores =
          j.identityCorrect() == null
              ? null
              : new DittoJudgeScores(
                  j.identityCorrect(),
                  j.identityChoice(),
                  j.identityShare(),
                  j.refusal(),
                  j.refusalShare(),
                  j.knowledgeScore(),
                  j.samples());
      infos.add(
          new DittoTurnInfo(
              infos.size(),
              DittoQueryType.valueOf(t.query().type().name()),
              t.query().expectRefusal(),
              t.declined(),
              t.query().evidence(),
              t.query().sourceRoleId(),
              scores));
      calls += t.calls();
    }
    Provenance provenance =
        run.provenance(card.role().origin(), card.role().warnings(), calls + droppedTurns);
    return new DittoDialogue(
        card.id(),
        card.id(),
        card.role().name(),
        card.role().lang(),
        card.systemPrompt(),
        messages,
        infos,
        droppedTurns,
        plan.knowable(),
        provenance);
  }
}
