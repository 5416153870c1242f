package dev.rolesynth.ditto;

import dev.rolesynth.pool.Role;
import java.io.Serializable;
import java.util.List;

/** The values that flow between Ditto's stages. All immutable. */
public final class Ditto {
  private Ditto() {}

  /** Stage 1's result: what the role knows, and the short role config kept as the system turn. */
  public record RoleCard(Role role, String systemPrompt, List<String> knowledge) implements Serializable {
    public RoleCard {
      knowledge = List.copyOf(knowledge);
    }

    public String id() {
      return role.id();
    }
  }

  /** Another role's identity and a few facts, the source of contrastive questions and judge distractors. */
  public record OtherRole(String id, String name, List<String> facts) implements Serializable {
    public OtherRole {
      facts = List.copyOf(facts);
    }
  }

  /** Stage 2's input: a card plus roles whose knowledge this role must not have. */
  public record QueryInput(RoleCard card, List<OtherRole> contrastSources, List<String> distractors)
      implements Serializable {
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
  public record Query(
      RoleCard card, int index, QueryType type, String question, String evidence, String sourceRoleId,
      List<String> distractors)
      implements Serializable {
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

  /** Stage 2's result for one role. */
  public record QuerySet(RoleCard card, List<Query> queries) implements Serializable {
    public QuerySet {
      queries = List.copyOf(queries);
    }
  }

  /** What the judges said of a turn; fields stay null until their judge has run. */
  public record Judgement(Boolean identityCorrect, String identityChoice, Integer refusal, Integer knowledgeScore)
      implements Serializable {
    static final Judgement NONE = new Judgement(null, null, null, null);

    Judgement withIdentity(boolean correct, String choice) {
      return new Judgement(correct, choice, refusal, knowledgeScore);
    }

    Judgement withRefusal(int r) {
      return new Judgement(identityCorrect, identityChoice, r, knowledgeScore);
    }

    Judgement withKnowledge(int score) {
      return new Judgement(identityCorrect, identityChoice, refusal, score);
    }
  }

  /** Stage 3's result: a question answered in role, with the calls it took so far. */
  public record Turn(Query query, String answer, boolean declined, Judgement judgement, int calls)
      implements Serializable {
    Turn judged(Judgement j) {
      return new Turn(query, answer, declined, j, calls + 1);
    }
  }
}
