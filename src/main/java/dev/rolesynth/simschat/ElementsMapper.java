package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.pool.RoleMapper;
import dev.rolesynth.simschat.SimsChat.Elements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pool line: {@code {"career": ..., "aspiration": ..., "traits": [...], "skill": ...}}, the
 * elements a Sims character is made of (traits as a list or a comma-separated text); an {@code id}
 * is kept.
 */
final class ElementsMapper implements RecordMapper<Elements> {
  @Override
  public Elements map(JsonNode r, Origin origin) throws BadRecordException {
    String career = text(r, "career");
    String aspiration = text(r, "aspiration");
    String skill = text(r, "skill");
    List<String> traits = new ArrayList<>();
    JsonNode t = r.get("traits");
    if (t != null && t.isArray()) {
      for (JsonNode x : t) {
        if (!x.isTextual()) {
          throw new BadRecordException(
              "wrong_type", "field 'traits' must hold strings, got " + x.getNodeType());
        }
        traits.add(x.asText().strip());
      }
    } else if (t != null && t.isTextual()) {
      for (String x : t.asText().split(",")) {
        traits.add(x.strip());
      }
    } else if (t != null && !t.isNull()) {
      throw new BadRecordException(
          "wrong_type", "field 'traits' must be a list of strings, got " + t.getNodeType());
    }
    traits.removeIf(String::isEmpty);
    if (traits.isEmpty()) {
      throw new BadRecordException(
          "missing_field", "field 'traits' (one or more personality traits) is missing or empty");
    }
    String given = r.path("id").isValueNode() ? r.get("id").asText().strip() : "";
    String id =
        given.isEmpty()
            ? "sim-" + RoleMapper.shortHash(career + "|" + aspiration + "|" + traits + "|" + skill)
            : given;
    return new Elements(id, career, aspiration, List.copyOf(traits), skill, origin, List.of());
  }

  private static String text(JsonNode r, String field) throws BadRecordException {
    JsonNode v = r.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      throw new BadRecordException("missing_field", "field '" + field + "' is missing or empty");
    }
    if (!v.isTextual()) {
      throw new BadRecordException(
          "wrong_type", "field '" + field + "' must be a string, got " + v.getNodeType());
    }
    return v.asText().strip();
  }

  @Override
  public Class<Elements> type() {
    return Elements.class;
  }

  @Override
  public Map<String, String> identity(JsonNode r, Elements e) {
    return Map.of("id", e.id());
  }

  @Override
  public Elements withId(Elements e, String id) {
    return new Elements(
        id, e.career(), e.aspiration(), e.traits(), e.skill(), e.origin(), e.warnings());
  }
}
