package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.Judgement;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QueryInput;
import dev.rolesynth.ditto.Ditto.QueryPlan;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Ditto's LLM stages (docs/pipelines/ditto.md), each a template, a schema, checks and a parser. */
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
      String value = clip(oneLine(f), Math.max(0, left - f.key().length()));
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

  /**
   * Stage 1: condense the profile into a knowledge card and write the short role system prompt, for
   * a role whose contrastive sources are already chosen (they travel on with the card).
   */
  static Stage<QueryPlan, QueryInput> cardFor(DittoSettings s) {
    return Stage.<QueryPlan>asking("ditto_profile", s, plan -> profileVariables(s, plan.role()))
        .giving(
            (plan, j) ->
                new QueryInput(card(plan.role(), j), plan.contrastSources(), plan.distractors()))
        .calledAs(plan -> plan.role().id());
  }

  private static Vars profileVariables(DittoSettings s, Role role) {
    return Vars.of()
        .with("name", role.name())
        .with("lang", role.lang())
        .with("description", role.description())
        .with("aliases", String.join(", ", role.aliases()))
        .with(
            "fields",
            role.profile().stream()
                .map(f -> Map.of("key", f.key(), "value", clip(oneLine(f), s.maxPromptFieldChars)))
                .toList())
        .with("minFacts", s.minFacts)
        .with("maxFacts", s.maxFacts);
  }

  private static String oneLine(Role.Field f) {
    return f.value().replaceAll("\\s*\\n\\s*", " ");
  }

  private static RoleCard card(Role role, JsonNode j) {
    return new RoleCard(
        role,
        Answers.text(j, "systemPrompt"),
        new ArrayList<>(new LinkedHashSet<>(strings(j.get("knowledge")))));
  }

  /**
   * Stage 2: in-knowledge questions from the role's card, contrastive ones from other roles'
   * profiles.
   */
  static Stage<QueryInput, QuerySet> queries(DittoSettings s) {
    return Stage.<QueryInput>asking(
            "ditto_queries",
            s,
            input ->
                Vars.of()
                    .with("name", input.card().role().name())
                    .with("lang", input.card().role().lang())
                    .with("knowledge", input.card().knowledge())
                    .with(
                        "others",
                        input.contrastSources().stream()
                            .map(o -> Map.of("name", o.name(), "facts", o.facts()))
                            .toList())
                    .with("inCount", s.inKnowledgeQueries)
                    .with("contrastiveCount", contrastiveCount(s, input)))
        .givingEach(DittoTasks::querySet)
        .calledAs(QueryInput::id)
        // the counts are run options (and no contrastive questions without other roles)
        .sized("inKnowledge", input -> s.inKnowledgeQueries, 0)
        .sized("contrastive", input -> contrastiveCount(s, input), 0)
        .adjusting(
            (input, r) -> {
              if (input.contrastSources().isEmpty()) {
                return r;
              }
              // The source must be one of the other characters: said in the schema, so that
              // servers (and grammar-constrained local engines) that honour it cannot miss.
              ObjectNode schema = r.schema().deepCopy();
              var names =
                  ((ObjectNode) schema.at("/properties/contrastive/items/properties/sourceRole"))
                      .putArray("enum");
              input.contrastSources().forEach(o -> names.add(o.name()));
              return r.withSchema(schema);
            })
        .checkedBy(DittoTasks::queriesProblem);
  }

  private static int contrastiveCount(DittoSettings s, QueryInput input) {
    return input.contrastSources().isEmpty() ? 0 : s.contrastiveQueries;
  }

  static String queriesProblem(QueryInput input, JsonNode answer) {
    Set<String> names = new HashSet<>();
    input.contrastSources().forEach(o -> names.add(norm(o.name())));
    Set<String> seen = new HashSet<>();
    for (String part : List.of("inKnowledge", "contrastive")) {
      for (JsonNode q : answer.get(part)) {
        if (!seen.add(norm(q.get("question").asText()))) {
          return "the question \""
              + q.get("question").asText()
              + "\" appears twice; every question must differ";
        }
      }
    }
    for (JsonNode q : answer.get("contrastive")) {
      if (!names.contains(norm(q.get("sourceRole").asText()))) {
        return "\"sourceRole\" must be one of the other characters' names exactly, got \""
            + q.get("sourceRole").asText()
            + "\"";
      }
    }
    return null;
  }

  private static List<QuerySet> querySet(QueryInput input, JsonNode j) {
    Map<String, String> idsByName = new LinkedHashMap<>();
    input.contrastSources().forEach(o -> idsByName.put(norm(o.name()), o.id()));
    List<Query> queries = new ArrayList<>();
    for (String part : List.of("inKnowledge", "contrastive")) {
      boolean in = part.equals("inKnowledge");
      for (JsonNode q : j.get(part)) {
        queries.add(
            new Query(
                input.card(),
                queries.size(),
                in ? QueryType.IN_KNOWLEDGE : QueryType.CONTRASTIVE,
                Answers.text(q, "question"),
                in ? Answers.text(q, "evidence") : null,
                in ? null : idsByName.get(norm(q.get("sourceRole").asText())),
                input.distractors()));
      }
    }
    return List.of(new QuerySet(input.card(), queries, 0));
  }

  private static String norm(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Stage 3: answer the conversation's next question in character, with the profile and knowledge
   * injected as reading material and the earlier turns as history; decline past what the role
   * knows. Each answer leads at once to the next question's call; a failed one is skipped.
   */
  static final String ANSWER = "ditto_answer";

  static Stage<Conversation, Conversation> answerTurn(DittoSettings s) {
    return Stage.<Conversation>chatting(
            ANSWER,
            s,
            c -> {
              Query q = c.question();
              Vars ctx = Vars.of();
              ctx.put("systemPrompt", q.card().systemPrompt());
              ctx.put("name", q.card().role().name());
              ctx.put("description", q.card().role().description());
              ctx.put("profile", profile(q.card().role(), s.profileChars));
              ctx.put("knowledge", q.card().knowledge());
              List<ChatMessage> messages = new ArrayList<>();
              messages.add(ChatMessage.system(s.system("ditto_answer", ctx)));
              // Questions and answers are data: they go in as turns, untouched by any template.
              for (Turn t : c.turns()) {
                messages.add(ChatMessage.user(t.query().question()));
                messages.add(ChatMessage.assistant(t.answer()));
              }
              messages.add(ChatMessage.user(q.question()));
              return messages;
            })
        .giving(
            (c, j) ->
                c.answered(
                    new Turn(
                        c.question(),
                        Answers.text(j, "answer"),
                        j.get("declined").asBoolean(),
                        Judgement.NONE,
                        1)))
        .calledAs(c -> c.question().callId())
        .followedBy(c -> c.finished() ? null : c)
        .orOnFailure(c -> List.of(c.skipped()));
  }
}
