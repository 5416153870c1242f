package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A persona that is one short text, as PersonaHub publishes them: {@code {"persona": ...}}, or
 * {@code {"input persona": ...}} in its synthesized sets; an {@code id} is kept, else one is made
 * from the text.
 */
public record TextPersona(String id, String text, Origin origin, List<String> warnings)
    implements PoolRecord {

  /** Reads PersonaHub's lines. */
  public static final class Mapper extends PoolMapper<TextPersona> {
    public Mapper() {
      super(TextPersona.class);
    }

    @Override
    public TextPersona map(JsonNode r, Origin origin) throws BadRecordException {
      JsonNode text = r.has("persona") ? r.get("persona") : r.get("input persona");
      if (text == null || !text.isTextual() || text.asText().isBlank()) {
        throw new BadRecordException(
            "missing_field", "field 'persona' (or 'input persona') must be a non-empty string");
      }
      String t = text.asText().strip();
      String id = givenId(r).isEmpty() ? "p-" + RoleMapper.shortHash(t) : givenId(r);
      return new TextPersona(id, t, origin, List.of());
    }

    @Override
    public Map<String, String> identity(JsonNode r, TextPersona p) {
      return givenId(r).isEmpty() ? Map.of("persona", p.text()) : Map.of("id", p.id());
    }
  }
}
