package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.RecordMapper;
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
  static final class Personas implements RecordMapper<Persona> {
    @Override
    public Persona map(JsonNode r, Origin origin) throws BadRecordException {
      JsonNode text = r.has("persona") ? r.get("persona") : r.get("input persona");
      if (text == null || !text.isTextual() || text.asText().isBlank()) {
        throw new BadRecordException(
            "missing_field", "field 'persona' (or 'input persona') must be a non-empty string");
      }
      String t = text.asText().strip();
      return new Persona(
          given(r).isEmpty() ? "p-" + RoleMapper.shortHash(t) : given(r), t, origin, List.of());
    }

    @Override
    public Class<Persona> type() {
      return Persona.class;
    }

    @Override
    public Map<String, String> identity(JsonNode r, Persona p) {
      return given(r).isEmpty() ? Map.of("persona", p.text()) : Map.of("id", p.id());
    }

    @Override
    public Persona withId(Persona p, String id) {
      return new Persona(id, p.text(), p.origin(), p.warnings());
    }
  }

  /**
   * MS MARCO QA: {@code query_id}, {@code query}, {@code answers} and {@code passages}, either as
   * the Hugging Face copy has them ({@code {"passage_text": [...], ...}}) or as the original files
   * do ({@code [{"passage_text": ...}]}). "No Answer Present." is an item without an answer.
   */
  static final class Items implements RecordMapper<MrcItem> {
    static final String NO_ANSWER = "No Answer Present.";

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
      String id = given(r).isEmpty() ? r.path("query_id").asText("") : given(r);
      id = id.isBlank() ? "q-" + RoleMapper.shortHash(r.get("query").asText()) : id;
      return new MrcItem(
          id,
          r.get("query").asText().strip(),
          passages,
          answer.equals(NO_ANSWER) ? "" : answer,
          origin,
          List.of());
    }

    @Override
    public Class<MrcItem> type() {
      return MrcItem.class;
    }

    @Override
    public Map<String, String> identity(JsonNode r, MrcItem m) {
      return Map.of("id", m.id());
    }

    @Override
    public MrcItem withId(MrcItem m, String id) {
      return new MrcItem(id, m.query(), m.passages(), m.answer(), m.origin(), m.warnings());
    }
  }

  private static String given(JsonNode r) {
    return r.path("id").isValueNode() ? r.get("id").asText().strip() : "";
  }
}
