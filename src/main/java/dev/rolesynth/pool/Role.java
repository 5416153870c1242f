package dev.rolesynth.pool;

import java.io.Serializable;
import java.util.List;

/**
 * A role from a meta-pool, in canonical form: identity fields plus free-form profile fields in
 * their input order, and warnings about what reading it changed (a field cut to the cap).
 */
public record Role(
    String id,
    String name,
    String lang,
    List<String> aliases,
    String description,
    List<Field> profile,
    Origin origin,
    List<String> warnings)
    implements PoolRecord {

  /** One named piece of profile text (a summary, claims, an article, any free-form field). */
  public record Field(String key, String value) implements Serializable {}

  public Role {
    aliases = List.copyOf(aliases);
    profile = List.copyOf(profile);
    warnings = List.copyOf(warnings);
  }
}
