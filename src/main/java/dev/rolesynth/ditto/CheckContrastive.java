package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Stage 2b: one call per role labels each contrastive question "could this role plausibly know
 * this?". A question the role could know would teach it to refuse what it knows, so it is dropped
 * and counted ({@link QuerySet#knowable()}).
 */
final class CheckContrastive {
  private CheckContrastive() {}

  static List<Query> contrastive(QuerySet set) {
    return set.queries().stream().filter(q -> q.type() == QueryType.CONTRASTIVE).toList();
  }

  /**
   * Whether a role's questions go through the check: it is on, and some of them are contrastive.
   */
  static SerializableFunction<QuerySet, Boolean> needed(DittoSettings s) {
    boolean on = s.opt.checkContrastive() && s.contrastiveQueries > 0;
    return set -> on && !contrastive(set).isEmpty();
  }

  static Stage<QuerySet, QuerySet> stage(DittoSettings s) {
    return Stage.<QuerySet>asking(
            "ditto_contrast_check",
            s,
            set -> {
              List<Query> asked = contrastive(set);
              return Vars.of()
                  .with("name", set.card().role().name())
                  .with("description", set.card().role().description())
                  .with("knowledge", set.card().knowledge())
                  .with(
                      "questions",
                      IntStream.range(0, asked.size())
                          .mapToObj(
                              i -> Map.of("index", i + 1, "question", asked.get(i).question()))
                          .toList());
            })
        .givingEach(CheckContrastive::parse)
        .calledAs(QuerySet::id)
        // The declared max_tokens is the base; each question's label adds to it.
        .sized("labels", set -> contrastive(set).size(), 120)
        .adjusting(
            (set, r) -> {
              ObjectNode schema = r.schema().deepCopy();
              ((ObjectNode) schema.at("/properties/labels/items/properties/index"))
                  .put("maximum", contrastive(set).size());
              return r.withSchema(schema);
            })
        .checkedBy(
            (set, answer) -> {
              int n = contrastive(set).size();
              boolean[] seen = new boolean[n + 1];
              for (JsonNode l : answer.get("labels")) {
                int i = l.get("index").asInt();
                if (i < 1 || i > n || seen[i]) {
                  return "every question from 1 to "
                      + n
                      + " needs exactly one label; got index "
                      + i
                      + " again or out of range";
                }
                seen[i] = true;
              }
              return null;
            });
  }

  private static List<QuerySet> parse(QuerySet set, JsonNode answer) {
    List<Query> asked = contrastive(set);
    Map<Query, Boolean> knowable = new HashMap<>();
    for (JsonNode l : answer.get("labels")) {
      knowable.put(asked.get(l.get("index").asInt() - 1), l.get("couldKnow").asBoolean());
    }
    List<Query> kept = new ArrayList<>();
    int dropped = 0;
    for (Query q : set.queries()) {
      if (Boolean.TRUE.equals(knowable.get(q))) {
        dropped++;
      } else {
        kept.add(q);
      }
    }
    return List.of(new QuerySet(set.card(), kept, set.knowable() + dropped));
  }
}
