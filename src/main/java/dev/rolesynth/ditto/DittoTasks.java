package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.Judgement;
import dev.rolesynth.ditto.Ditto.OtherRole;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QueryInput;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Ditto's LLM stages (methods.md, section Ditto), each a template, a schema, checks and a parser. */
final class DittoTasks {
  private DittoTasks() {}

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + " …";
  }

  /**
   * The role's own profile for the answer call, as Ditto injects the knowledge: every field in pool
   * order, cut so that all of them together stay within the budget (in characters).
   */
  static List<Map<String, String>> profile(Role role, int budget) {
    List<Map<String, String>> out = new ArrayList<>();
    int left = budget - role.description().length();
    for (Role.Field f : role.profile()) {
      if (left <= 0) {
        break;
      }
      String value = clip(f.value().replaceAll("\\s*\\n\\s*", " "), Math.max(0, left - f.key().length()));
      out.add(Map.of("key", f.key(), "value", value));
      left -= f.key().length() + value.length();
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText().strip()));
    return out;
  }

  /** Base for tasks over one role's card. */
  abstract static class CardTask<I, O> extends LlmTask<I, O> {
    final DittoSettings settings;

    CardTask(DittoSettings settings) {
      this.settings = settings;
    }

    abstract RoleCard card(I input);

    @Override
    public String recordId(I input) {
      return card(input).id();
    }

    @Override
    public Origin origin(I input) {
      return card(input).role().origin();
    }
  }

  /** Stage 1: condense the profile into a knowledge card and write the short role system prompt. */
  static final class BuildKnowledgeCard extends LlmTask<Role, RoleCard> {
    private final DittoSettings settings;

    BuildKnowledgeCard(DittoSettings settings) {
      this.settings = settings;
    }

    @Override
    public String stage() {
      return "ditto_profile";
    }

    @Override
    public String recordId(Role role) {
      return role.id();
    }

    @Override
    public Origin origin(Role role) {
      return role.origin();
    }

    @Override
    public ChatRequest request(Role role) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("name", role.name());
      ctx.put("lang", role.lang());
      ctx.put("description", role.description());
      ctx.put("aliases", String.join(", ", role.aliases()));
      List<Map<String, String>> fields = new ArrayList<>();
      for (Role.Field f : role.profile()) {
        fields.add(Map.of("key", f.key(), "value", clip(f.value().replaceAll("\\s*\\n\\s*", " "), settings.maxPromptFieldChars)));
      }
      ctx.put("fields", fields);
      ctx.put("minFacts", settings.minFacts);
      ctx.put("maxFacts", settings.maxFacts);
      return settings.request(stage(), ctx, role.id());
    }

    @Override
    public List<RoleCard> parse(Role role, CallOutcome outcome) {
      List<String> facts = new ArrayList<>(new LinkedHashSet<>(strings(outcome.json().get("knowledge"))));
      return List.of(new RoleCard(role, outcome.json().get("systemPrompt").asText().strip(), facts));
    }
  }

  /** Stage 2: in-knowledge questions from the role's card, contrastive ones from other roles' cards. */
  static final class SimulateQueries extends CardTask<QueryInput, QuerySet> {
    SimulateQueries(DittoSettings settings) {
      super(settings);
    }

    @Override
    RoleCard card(QueryInput input) {
      return input.card();
    }

    @Override
    public String stage() {
      return "ditto_queries";
    }

    private int contrastiveCount(QueryInput input) {
      return input.contrastSources().isEmpty() ? 0 : settings.contrastiveQueries;
    }

    @Override
    public ChatRequest request(QueryInput input) {
      RoleCard card = input.card();
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("name", card.role().name());
      ctx.put("lang", card.role().lang());
      ctx.put("knowledge", card.knowledge());
      List<Map<String, Object>> others = new ArrayList<>();
      for (OtherRole o : input.contrastSources()) {
        others.add(Map.of("name", o.name(), "facts", o.facts()));
      }
      ctx.put("others", others);
      ctx.put("inCount", settings.inKnowledgeQueries);
      ctx.put("contrastiveCount", contrastiveCount(input));
      ChatRequest r = settings.request(stage(), ctx, card.id());
      ObjectNode schema = r.schema().deepCopy();
      ObjectNode contrastive = (ObjectNode) schema.get("properties").get("contrastive");
      if (contrastiveCount(input) != settings.contrastiveQueries) {
        contrastive.put("minItems", 0).put("maxItems", 0);
      } else {
        // The source must be one of the other characters: said in the schema, so that servers (and
        // grammar-constrained local engines) that honour it cannot get it wrong.
        var names = ((ObjectNode) contrastive.get("items").get("properties").get("sourceRole")).putArray("enum");
        input.contrastSources().forEach(o -> names.add(o.name()));
      }
      return r.withSchema(schema);
    }

    @Override
    public AnswerCheck check(QueryInput input) {
      Set<String> names = new HashSet<>();
      input.contrastSources().forEach(o -> names.add(norm(o.name())));
      return answer -> {
        Set<String> seen = new HashSet<>();
        for (String part : List.of("inKnowledge", "contrastive")) {
          for (JsonNode q : answer.get(part)) {
            if (!seen.add(norm(q.get("question").asText()))) {
              return "the question \"" + q.get("question").asText() + "\" appears twice; every question must differ";
            }
          }
        }
        for (JsonNode q : answer.get("contrastive")) {
          if (!names.contains(norm(q.get("sourceRole").asText()))) {
            return "\"sourceRole\" must be one of the other characters' names exactly, got \"" + q.get("sourceRole").asText() + "\"";
          }
        }
        return null;
      };
    }

    @Override
    public List<QuerySet> parse(QueryInput input, CallOutcome outcome) {
      Map<String, String> idsByName = new LinkedHashMap<>();
      input.contrastSources().forEach(o -> idsByName.put(norm(o.name()), o.id()));
      List<Query> queries = new ArrayList<>();
      for (JsonNode q : outcome.json().get("inKnowledge")) {
        queries.add(new Query(input.card(), queries.size(), QueryType.IN_KNOWLEDGE, q.get("question").asText().strip(),
            q.get("evidence").asText().strip(), null, input.distractors()));
      }
      for (JsonNode q : outcome.json().get("contrastive")) {
        queries.add(new Query(input.card(), queries.size(), QueryType.CONTRASTIVE, q.get("question").asText().strip(),
            null, idsByName.get(norm(q.get("sourceRole").asText())), input.distractors()));
      }
      return List.of(new QuerySet(input.card(), queries));
    }

    private static String norm(String s) {
      return s.strip().toLowerCase(Locale.ROOT);
    }
  }

  /** Base for tasks over one question or turn. */
  abstract static class TurnTask<I, O> extends CardTask<I, O> {
    TurnTask(DittoSettings settings) {
      super(settings);
    }

    abstract Query query(I input);

    @Override
    RoleCard card(I input) {
      return query(input).card();
    }

    @Override
    public String callId(I input) {
      return query(input).callId();
    }
  }

  /**
   * Stage 3: answer the conversation's next question in character, with the profile and knowledge
   * injected as reading material and the earlier turns as history; decline past what the role knows.
   */
  static final class AnswerTurn extends TurnTask<Conversation, Conversation> {
    AnswerTurn(DittoSettings settings) {
      super(settings);
    }

    @Override
    Query query(Conversation input) {
      return input.question();
    }

    @Override
    public String stage() {
      return "ditto_answer";
    }

    @Override
    public ChatRequest request(Conversation c) {
      Query q = c.question();
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("systemPrompt", q.card().systemPrompt());
      ctx.put("name", q.card().role().name());
      ctx.put("description", q.card().role().description());
      ctx.put("profile", profile(q.card().role(), settings.profileChars));
      ctx.put("knowledge", q.card().knowledge());
      List<ChatMessage> messages = new ArrayList<>();
      messages.add(ChatMessage.system(settings.system(stage(), ctx)));
      // Questions and answers are data: they go in as turns, untouched by any template.
      for (Turn t : c.turns()) {
        messages.add(ChatMessage.user(t.query().question()));
        messages.add(ChatMessage.assistant(t.answer()));
      }
      messages.add(ChatMessage.user(q.question()));
      return settings.request(stage(), messages, q.callId());
    }

    @Override
    public Conversation followUp(Conversation c) {
      return c.finished() ? null : c;
    }

    @Override
    public List<Conversation> onFailure(Conversation c) {
      return List.of(c.skipped());
    }

    @Override
    public List<Conversation> parse(Conversation c, CallOutcome outcome) {
      Turn t = new Turn(c.question(), outcome.json().get("answer").asText().strip(),
          outcome.json().get("declined").asBoolean(), Judgement.NONE, 1);
      return List.of(c.answered(t));
    }
  }
}
