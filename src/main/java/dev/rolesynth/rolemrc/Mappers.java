package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolMapper;
import dev.rolesynth.pool.RoleMapper;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import dev.rolesynth.rolemrc.RoleMrc.Persona;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RoleMRC's two pools, read as their sources publish them. */
final class Mappers {
  private Mappers() {}

  /**
   * PersonaHub: {@code {"persona": ...}}, or {@code {"input persona": ...}} in its synthesized
   * sets; an {@code id} is kept.
   */
  static final class Personas extends PoolMapper<Persona> {
    Personas() {
      super(Persona.class);
    }

    @Override
    public Persona map(JsonNode r, Origin origin) throws BadRecordException {
      JsonNode text = r.has("persona") ? r.get("persona") : r.get("input persona");
      if (text == null || !text.isTextual() || text.asText().isBlank()) {
        throw new BadRecordException(
            "missing_field", "field 'persona' (or 'input persona') must be a non-empty string");
      }
      String t = text.asText().strip();
      return new Persona(
          givenId(r).isEmpty() ? "p-" + RoleMapper.shortHash(t) : givenId(r), t, origin, List.of());
    }

    @Override
    public Map<String, String> identity(JsonNode r, Persona p) {
      return givenId(r).isEmpty() ? Map.of("persona", p.text()) : Map.of("id", p.id());
    }
  }

  /**
   * MS MARCO QA: {@code query_id}, {@code query}, {@code answers} and {@code passages}, either as
   * the Hugging Face copy has them ({@code {"passage_text": [...], ...}}) or as the original files
   * do ({@code [{"passage_text": ...}]}). "No Answer Present." is an item without an answer.
   */
  static final class Items extends PoolMapper<MrcItem> {
    static final String NO_ANSWER = "No Answer Present.";

    Items() {
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
      return new MrcItem(
          id,
          r.get("query").asText().strip(),
          passages,
          answer.equals(NO_ANSWER) ? "" : answer,
          origin,
          List.of());
    }
  }
}
