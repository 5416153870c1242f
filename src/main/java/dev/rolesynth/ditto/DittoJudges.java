package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ditto.Ditto.JudgeCall;
import dev.rolesynth.ditto.Ditto.Vote;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pipeline.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ditto's judges (its evaluation's identity, refusal and knowledge judges), one sample per call. */
final class DittoJudges {
  private DittoJudges() {}

  /**
   * The judges share a system prompt, low temperature and the turn's question and answer. Each is
   * sampled {@code judgeSamples} times (a seed per sample), and {@link #tally} averages the votes.
   */
  abstract static class JudgeTask extends DittoTasks.CardTask<JudgeCall, Vote> {
    JudgeTask(DittoSettings settings) {
      super(settings);
    }

    @Override
    RoleCard card(JudgeCall input) {
      return input.turn().query().card();
    }

    @Override
    public String callId(JudgeCall input) {
      return input.turn().query().callId() + "~" + input.sample();
    }

    Map<String, Object> context(Turn t) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("question", t.query().question());
      ctx.put("answer", t.answer());
      return ctx;
    }

    ChatRequest judgeRequest(JudgeCall c, Map<String, Object> ctx) {
      return settings.request(stage(), ctx, callId(c));
    }

    Vote vote(JudgeCall c, int value, String choice) {
      return new Vote(c.turn(), c.sample(), value, choice);
    }

    /** The turn with this judge's votes averaged into its judgement. */
    abstract Turn tally(Turn t, List<Vote> votes);

    static double mean(List<Vote> votes) {
      return votes.stream().mapToInt(Vote::value).average().orElse(0);
    }
  }

  /** Ditto's role-consistency judge: which of four candidate roles gave this answer? */
  static final class JudgeIdentity extends JudgeTask {
    JudgeIdentity(DittoSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "ditto_judge_identity";
    }

    /** The role and its distractors in a seeded order, so the true role is not always first. */
    List<String> candidates(Turn t) {
      List<String> c = new ArrayList<>();
      c.add(t.query().card().role().name());
      c.addAll(t.query().distractors());
      long s = Ids.seed(settings.seed, "candidates", t.query().callId());
      java.util.Collections.shuffle(c, new java.util.Random(s));
      return c;
    }

    @Override
    public ChatRequest request(JudgeCall call) {
      Turn t = call.turn();
      Map<String, Object> ctx = context(t);
      List<Map<String, Object>> cands = new ArrayList<>();
      List<String> names = candidates(t);
      for (int i = 0; i < names.size(); i++) {
        cands.add(Map.of("index", i + 1, "name", names.get(i)));
      }
      ctx.put("candidates", cands);
      ChatRequest r = judgeRequest(call, ctx);
      ObjectNode schema = r.schema().deepCopy();
      // An enum rather than a range: grammar-constrained engines enforce enums, not ranges.
      ObjectNode choice = (ObjectNode) schema.get("properties").get("choice");
      choice.put("maximum", names.size());
      var allowed = choice.putArray("enum");
      for (int i = 1; i <= names.size(); i++) {
        allowed.add(i);
      }
      return r.withSchema(schema);
    }

    @Override
    public AnswerCheck check(JudgeCall c) {
      int n = candidates(c.turn()).size();
      return answer -> answer.get("choice").asInt() <= n ? null : "\"choice\" must be a candidate number from 1 to " + n;
    }

    @Override
    public List<Vote> parse(JudgeCall c, CallOutcome outcome) {
      String chosen = candidates(c.turn()).get(outcome.json().get("choice").asInt() - 1);
      return List.of(vote(c, chosen.equals(c.turn().query().card().role().name()) ? 1 : 0, chosen));
    }

    @Override
    Turn tally(Turn t, List<Vote> votes) {
      Map<String, Integer> picked = new java.util.TreeMap<>();
      votes.forEach(v -> picked.merge(v.choice(), 1, Integer::sum));
      String most = picked.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      return t.judged(t.judgement().withIdentity(mean(votes), most, votes.size()), votes.size());
    }
  }

  /** Ditto's rejection judge: does the answer decline? */
  static final class JudgeRefusal extends JudgeTask {
    JudgeRefusal(DittoSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "ditto_judge_refusal";
    }

    @Override
    public ChatRequest request(JudgeCall c) {
      return judgeRequest(c, context(c.turn()));
    }

    @Override
    public List<Vote> parse(JudgeCall c, CallOutcome outcome) {
      return List.of(vote(c, outcome.json().get("refusal").asInt(), null));
    }

    @Override
    Turn tally(Turn t, List<Vote> votes) {
      return t.judged(t.judgement().withRefusal(mean(votes), votes.size()), votes.size());
    }
  }

  /** Ditto's knowledge judge: 1-10 for how well an in-knowledge answer uses the role's knowledge. */
  static final class JudgeKnowledge extends JudgeTask {
    JudgeKnowledge(DittoSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "ditto_judge_knowledge";
    }

    @Override
    public ChatRequest request(JudgeCall c) {
      Turn t = c.turn();
      Map<String, Object> ctx = context(t);
      ctx.put("name", t.query().card().role().name());
      ctx.put("knowledge", t.query().card().knowledge());
      ctx.put("evidence", t.query().evidence() == null ? "(none)" : t.query().evidence());
      return judgeRequest(c, ctx);
    }

    @Override
    public List<Vote> parse(JudgeCall c, CallOutcome outcome) {
      return List.of(vote(c, outcome.json().get("score").asInt(), null));
    }

    @Override
    Turn tally(Turn t, List<Vote> votes) {
      return t.judged(t.judgement().withKnowledge(mean(votes), votes.size()), votes.size());
    }
  }
}
