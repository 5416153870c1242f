package dev.rolesynth.ditto;

import dev.rolesynth.core.Draws;
import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.pipeline.CallLlm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Stage 3 as a real multi-turn dialogue: each role's questions are put in a seeded order that mixes
 * in-knowledge and contrastive ones, then asked one per step, every answer made with the turns
 * before it as conversation history. Each next turn is a follow-up call made as soon as the turn
 * before it is answered (in the chain that takes the role from its card to its last answer); a
 * question whose call fails is skipped and the dialogue goes on.
 */
final class AnswerTurnByTurn {
  private AnswerTurnByTurn() {}

  /**
   * Where a role's dialogue starts: its questions in their seeded order, no turn yet; counts the
   * contrastive questions the check dropped.
   */
  static SerializableFunction<QuerySet, List<Conversation>> start(long seed) {
    Counter knowable = Metrics.counter(CallLlm.METRICS, "ditto.contrastiveDroppedAsKnowable");
    return plan -> {
      knowable.inc(plan.knowable());
      return List.of(new Conversation(ordered(plan, seed), List.of(), 0));
    };
  }

  /** A role's questions in their seeded order, numbered so. */
  static QuerySet ordered(QuerySet plan, long seed) {
    List<Query> order = new ArrayList<>(plan.queries());
    Draws.shuffle(order, seed, "turn-order", plan.card().id());
    return new QuerySet(
        plan.card(),
        IntStream.range(0, order.size()).mapToObj(i -> order.get(i).withIndex(i)).toList(),
        plan.knowable());
  }
}
