package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.core.Draws;
import dev.rolesynth.ditto.Ditto.JudgeCall;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.ditto.Ditto.Vote;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Ditto's judges (its evaluation's identity, refusal and knowledge judges), one sample per call.
 */
final class DittoJudges {
  private DittoJudges() {}

  /** Averages a turn's votes into its judgement. */
  interface Tally extends Serializable {
    Turn apply(Turn t, List<Vote> votes);
  }

  /**
   * A judge: its stage, sampled {@code judgeSamples} times per turn (a seed per sample), and how
   * its votes are averaged. The judges share a system prompt, low temperature and the turn's
   * question and answer.
   */
  record Judge(Stage<JudgeCall, Vote> stage, Tally tally) implements Serializable {}

  private static Vars context(Turn t) {
    return Vars.of().with("question", t.query().question()).with("answer", t.answer());
  }

  private static Stage<JudgeCall, Vote> judge(
      String name,
      DittoSettings s,
      Stage.Fn<JudgeCall, Map<String, ?>> context,
      Stage.Fn<JsonNode, Integer> value) {
    return Stage.<JudgeCall>asking(name, s, context)
        .giving((c, j) -> new Vote(c.turn(), c.sample(), value.apply(j), null))
        .calledAs(c -> c.turn().query().callId() + "~" + c.sample());
  }

  static double mean(List<Vote> votes) {
    return votes.stream().mapToInt(Vote::value).average().orElse(0);
  }

  /** The role and its distractors in a seeded order, so the true role is not always first. */
  static List<String> candidates(DittoSettings s, Turn t) {
    List<String> c = new ArrayList<>();
    c.add(t.query().card().role().name());
    c.addAll(t.query().distractors());
    Draws.shuffle(c, s.seed, "candidates", t.query().callId());
    return c;
  }

  /** Ditto's role-consistency judge: which of four candidate roles gave this answer? */
  static Judge identity(DittoSettings s) {
    Stage<JudgeCall, Vote> stage =
        Stage.<JudgeCall>asking(
                "ditto_judge_identity",
                s,
                call -> {
                  List<String> names = candidates(s, call.turn());
                  return context(call.turn())
                      .with(
                          "candidates",
                          IntStream.range(0, names.size())
                              .mapToObj(i -> Map.of("index", i + 1, "name", names.get(i)))
                              .toList());
                })
            .giving(
                (c, j) -> {
                  String chosen = candidates(s, c.turn()).get(j.get("choice").asInt() - 1);
                  boolean right = chosen.equals(c.turn().query().card().role().name());
                  return new Vote(c.turn(), c.sample(), right ? 1 : 0, chosen);
                })
            .calledAs(c -> c.turn().query().callId() + "~" + c.sample())
            .adjusting(
                (call, r) -> {
                  int n = candidates(s, call.turn()).size();
                  ObjectNode schema = r.schema().deepCopy();
                  // An enum rather than a range: grammar-constrained engines enforce enums, not
                  // ranges.
                  ObjectNode choice = (ObjectNode) schema.get("properties").get("choice");
                  choice.put("maximum", n);
                  IntStream.rangeClosed(1, n).forEach(choice.putArray("enum")::add);
                  return r.withSchema(schema);
                })
            .checkedBy(
                (c, answer) -> {
                  int n = candidates(s, c.turn()).size();
                  return answer.get("choice").asInt() <= n
                      ? null
                      : "\"choice\" must be a candidate number from 1 to " + n;
                });
    return new Judge(
        stage,
        (t, votes) -> {
          Map<String, Integer> picked = new TreeMap<>();
          votes.forEach(v -> picked.merge(v.choice(), 1, Integer::sum));
          String most =
              picked.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
          return t.judged(
              t.judgement().withIdentity(mean(votes), most, votes.size()), votes.size());
        });
  }

  /** Ditto's rejection judge: does the answer decline? */
  static Judge refusal(DittoSettings s) {
    return new Judge(
        judge("ditto_judge_refusal", s, c -> context(c.turn()), j -> j.get("refusal").asInt()),
        (t, votes) -> t.judged(t.judgement().withRefusal(mean(votes), votes.size()), votes.size()));
  }

  /**
   * Ditto's knowledge judge: 1-10 for how well an in-knowledge answer uses the role's knowledge.
   */
  static Judge knowledge(DittoSettings s) {
    return new Judge(
        judge(
            "ditto_judge_knowledge",
            s,
            c -> {
              Turn t = c.turn();
              return context(t)
                  .with("name", t.query().card().role().name())
                  .with("knowledge", t.query().card().knowledge())
                  .with("evidence", t.query().evidence() == null ? "(none)" : t.query().evidence());
            },
            j -> j.get("score").asInt()),
        (t, votes) ->
            t.judged(t.judgement().withKnowledge(mean(votes), votes.size()), votes.size()));
  }
}
