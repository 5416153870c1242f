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
import dev.rolesynth.pipeline.AvroRecords;
import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.GroupByKeys.Grouped;
import dev.rolesynth.pipeline.RunInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage 5: each role's plan, surviving turns and dropped turns, grouped by its id, become the SFT
 * dialogue (system prompt, then user/assistant turns in a seeded order that mixes in-knowledge and
 * contrastive questions). A role left with fewer than {@code minTurns} turns becomes a failure
 * listing why its turns were dropped.
 */
final class AssembleDialogues {
  private AssembleDialogues() {}

  /** A role's plan and the turns that survived, to become its dialogue. */
  record Assembled(QuerySet plan, List<Turn> turns) implements Serializable {}

  static void assemble(DittoSettings settings, Grouped role, EachOrFail.Out<Assembled> out) {
    QuerySet plan = role.only(QuerySet.class);
    if (plan == null) {
      return; // the role failed before its questions existed; that failure is already recorded
    }
    List<Turn> turns = role.all(Turn.class);
    if (turns.size() >= settings.opt.minTurns()) {
      out.output(new Assembled(plan, turns));
      return;
    }
    out.fail(
        new Failure(
            plan.card().id(),
            plan.card().id(),
            "ditto_assemble",
            "too_few_turns",
            turns.size()
                + " of "
                + plan.queries().size()
                + " turns survived (need "
                + settings.opt.minTurns()
                + "): "
                + summarise(role.all(Failure.class)),
            plan.card().role().origin()));
  }

  private static String summarise(List<Failure> drops) {
    Map<String, Integer> byReason = new TreeMap<>();
    drops.forEach(d -> byReason.merge(d.stage() + "/" + d.reason(), 1, Integer::sum));
    return byReason.isEmpty() ? "no turn failures recorded" : byReason.toString();
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
        settings.opt.checkContrastive()
            && (plan.knowable() > 0 || plan.queries().stream().anyMatch(Query::expectRefusal));
    int calls = checked ? 3 : 2;
    for (Turn t : ordered) {
      messages.add(new ChatTurn("user", t.query().question()));
      messages.add(new ChatTurn("assistant", t.answer()));
      var j = t.judgement();
      DittoJudgeScores scores =
          j.identityCorrect() == null ? null : AvroRecords.from(j).as(DittoJudgeScores.class);
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
    Provenance provenance = run.provenance(card.role(), calls + droppedTurns);
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
