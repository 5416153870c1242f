package dev.rolesynth.ditto;

import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleWorld;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import lombok.With;

/** The values that flow between Ditto's stages. All immutable. */
public final class Ditto {
  private Ditto() {}

  /** Stage 1's result: what the role knows, and the short role config kept as the system turn. */
  public record RoleCard(Role role, String systemPrompt, List<String> knowledge)
      implements Derived {
    public RoleCard {
      knowledge = List.copyOf(knowledge);
    }
  }

  /**
   * Another role's identity and a few facts, the source of contrastive questions and judge
   * distractors.
   */
  public record OtherRole(String id, String name, List<String> facts, RoleWorld world)
      implements Serializable {
    public OtherRole {
      facts = List.copyOf(facts);
    }
  }

  /**
   * A role before its card: the other roles whose knowledge it must not have, chosen from the pool
   * (their profiles, as Ditto collects knowledge without a model), and the identity judge's
   * distractors.
   */
  public record QueryPlan(Role role, List<OtherRole> contrastSources, List<String> distractors)
      implements Derived {
    public QueryPlan {
      contrastSources = List.copyOf(contrastSources);
      distractors = List.copyOf(distractors);
    }
  }

  /** Stage 2's input: a card plus roles whose knowledge this role must not have. */
  public record QueryInput(RoleCard card, List<OtherRole> contrastSources, List<String> distractors)
      implements Derived {
    public QueryInput {
      contrastSources = List.copyOf(contrastSources);
      distractors = List.copyOf(distractors);
    }
  }

  public enum QueryType {
    IN_KNOWLEDGE,
    CONTRASTIVE
  }

  /** One simulated user question. */
  @With
  public record Query(
      RoleCard card,
      int index,
      QueryType type,
      String question,
      String evidence,
      String sourceRoleId,
      List<String> distractors)
      implements Derived {
    public Query {
      distractors = List.copyOf(distractors);
    }

    public boolean expectRefusal() {
      return type == QueryType.CONTRASTIVE;
    }

    public String callId() {
      return card.id() + "#" + index;
    }
  }

  /** Stage 2's result for one role, less the contrastive questions the role could know. */
  public record QuerySet(RoleCard card, List<Query> queries, int knowable) implements Derived {
    public QuerySet {
      queries = List.copyOf(queries);
    }
  }

  /**
   * A dialogue being held turn by turn: its questions in the order they are asked (indexed so), the
   * turns answered so far, each having seen the ones before it, and the next question to ask.
   */
  public record Conversation(QuerySet plan, List<Turn> turns, int next) implements Derived {
    public Conversation {
      turns = List.copyOf(turns);
    }

    public boolean finished() {
      return next >= plan.queries().size();
    }

    public Query question() {
      return plan.queries().get(next);
    }

    Conversation answered(Turn t) {
      List<Turn> more = new ArrayList<>(turns);
      more.add(t);
      return new Conversation(plan, more, next + 1);
    }

    /** The question was not answered (its call failed): the dialogue goes on without it. */
    Conversation skipped() {
      return new Conversation(plan, turns, next + 1);
    }
  }

  /**
   * What the judges said of a turn, each averaged over its samples; fields stay null until their
   * judge has run. The identity judge is right when most samples pick the role; a refusal is seen
   * when most samples see one; the knowledge score is the samples' mean.
   */
  @With
  public record Judgement(
      Boolean identityCorrect,
      String identityChoice,
      Double identityShare,
      Integer refusal,
      Double refusalShare,
      Double knowledgeScore,
      int samples)
      implements Serializable {
    static final Judgement NONE = new Judgement(null, null, null, null, null, null, 0);

    Judgement withIdentity(double share, String choice, int n) {
      return withIdentityCorrect(share > 0.5)
          .withIdentityChoice(choice)
          .withIdentityShare(share)
          .withSamples(n);
    }

    Judgement withRefusal(double share, int n) {
      return withRefusal(share > 0.5 ? 1 : 0).withRefusalShare(share).withSamples(n);
    }

    Judgement withKnowledge(double mean, int n) {
      return withKnowledgeScore(mean).withSamples(n);
    }
  }

  /** One sample of one judge on one turn. */
  public record JudgeCall(Turn turn, int sample) implements Derived {}

  /**
   * A judge sample's verdict: a number (choice, 0/1, score) and, for the identity judge, the name
   * picked.
   */
  public record Vote(Turn turn, int sample, int value, String choice) implements Serializable {}

  /** Stage 3's result: a question answered in role, with the calls it took so far. */
  public record Turn(Query query, String answer, boolean declined, Judgement judgement, int calls)
      implements Serializable {
    Turn judged(Judgement j, int moreCalls) {
      return new Turn(query, answer, declined, j, calls + moreCalls);
    }
  }
}
