package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine-reading item as MS MARCO QA has it: a query, its passages and its answer ("" for "No
 * Answer Present.").
 */
public record MrcItem(
    String id,
    String query,
    List<String> passages,
    String answer,
    Origin origin,
    List<String> warnings)
    implements PoolRecord {
  /** MS MARCO's answer for an item whose passages do not hold one. */
  public static final String NO_ANSWER = "No Answer Present.";

  public boolean answerable() {
    return !answer.isEmpty();
  }

  /**
   * Reads MS MARCO QA lines: {@code query_id}, {@code query}, {@code answers} (or {@code
   * wellFormedAnswers}) and {@code passages}, either as the Hugging Face copy has them ({@code
   * {"passage_text": [...], ...}}) or as the original files do ({@code [{"passage_text": ...}]}).
   */
  public static final class Mapper extends PoolMapper<MrcItem> {
    public Mapper() {
      super(MrcItem.class);
    }

    @Override
    public MrcItem map(JsonNode r, Origin origin) throws BadRecordException {
      if (!r.path("query").isTextual() || r.get("query").asText().isBlank()) {
        throw new BadRecordException("missing_field", "field 'query' must be a non-empty string");
      }
      List<String> passages = new ArrayList<>();
      JsonNode p = r.get("passages");
      if (p != null && p.isObject() && p.path("passage_text").isArray()) {
        p.get("passage_text").forEach(t -> passages.add(t.asText().strip()));
      } else if (p != null && p.isArray()) {
        p.forEach(t -> passages.add(t.path("passage_text").asText("").strip()));
      }
      passages.removeIf(String::isEmpty);
      if (passages.isEmpty()) {
        throw new BadRecordException(
            "missing_field", "field 'passages' must hold at least one 'passage_text'");
      }
      String answer =
          r.path("wellFormedAnswers").path(0).asText(r.path("answers").path(0).asText("")).strip();
      String id = givenId(r).isEmpty() ? r.path("query_id").asText("") : givenId(r);
      id = id.isBlank() ? "q-" + RoleMapper.shortHash(r.get("query").asText()) : id;
      String query = r.get("query").asText().strip();
      return new MrcItem(
          id, query, passages, answer.equals(NO_ANSWER) ? "" : answer, origin, List.of());
    }
  }
}
