package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolMapper;
import dev.rolesynth.pool.RoleMapper;
import dev.rolesynth.simschat.SimsChat.Elements;
import java.util.List;

/**
 * A pool line: {@code {"career": ..., "aspiration": ..., "traits": [...], "skill": ...}}, the
 * elements a Sims character is made of (traits as a list or a comma-separated text); an {@code id}
 * is kept, else one is made from the elements.
 */
final class ElementsMapper extends PoolMapper<Elements> {
  ElementsMapper() {
    super(Elements.class);
  }

  @Override
  public Elements map(JsonNode r, Origin origin) throws BadRecordException {
    String career = text(r, "career");
    String aspiration = text(r, "aspiration");
    String skill = text(r, "skill");
    List<String> traits = texts(r, "traits", "one or more personality traits");
    String id = givenId(r);
    if (id.isEmpty()) {
      id = "sim-" + RoleMapper.shortHash(career + "|" + aspiration + "|" + traits + "|" + skill);
    }
    return new Elements(id, career, aspiration, traits, skill, origin, List.of());
  }
}
