package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.core.Hashes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps one pool record to a {@link Role}. It reads Ditto's meta format ({@code label}, {@code
 * description}, {@code aliases}, {@code trans_claims}/{@code claims}, {@code summary}, {@code
 * wiki.content}, {@code lang}, optionally wrapped in {@code meta}) and a generic one ({@code id},
 * {@code name}, any other fields as free-form profile). A field map renames canonical fields to the
 * pool's own names, with dotted paths for nested values.
 */
public final class RoleMapper implements RecordMapper<Role> {
  static final List<String> CANONICAL =
      List.of("id", "name", "lang", "aliases", "description", "work");

  /** Ditto meta fields that carry no profile content. */
  private static final Set<String> IGNORED = Set.of("wiki_title", "idx", "type", "source");

  private final Map<String, String> fieldMap;
  private final int maxFieldChars;
  private final List<String> identityFields;

  public RoleMapper(Map<String, String> fieldMap, int maxFieldChars) {
    this(fieldMap, maxFieldChars, List.of());
  }

  /**
   * @param identityFields more fields that tell namesakes apart (Beyond Dialogue's --sourceField)
   */
  public RoleMapper(Map<String, String> fieldMap, int maxFieldChars, List<String> identityFields) {
    this.fieldMap = new LinkedHashMap<>(fieldMap);
    this.maxFieldChars = maxFieldChars;
    List<String> extra = new ArrayList<>();
    if (fieldMap.containsKey("work")) {
      extra.add(fieldMap.get("work"));
    }
    identityFields.stream().filter(f -> !f.isBlank()).forEach(extra::add);
    this.identityFields = List.copyOf(extra);
  }

  /**
   * Parses {@code name=label,description=bio} into a map; unknown canonical names are config
   * errors.
   */
  public static Map<String, String> parseFieldMap(String spec) {
    return parseFieldMap(spec, CANONICAL);
  }

  /** The same for a pipeline whose input has other canonical fields. */
  public static Map<String, String> parseFieldMap(String spec, List<String> canonical) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new ConfigException("--fieldMap entry '" + pair.trim() + "' is not canonical=source");
      }
      String key = kv[0].trim();
      if (!canonical.contains(key)) {
        throw new ConfigException(
            "--fieldMap names unknown field '" + key + "'; known: " + String.join(", ", canonical));
      }
      out.put(key, kv[1].trim());
    }
    return out;
  }

  @Override
  public Class<Role> type() {
    return Role.class;
  }

  @Override
  public Role map(JsonNode record, Origin origin) throws BadRecordException {
    JsonNode root = record.path("meta").isObject() ? record.get("meta") : record;
    Set<String> used = new HashSet<>();
    String name = text(root, "name", used);
    if (name == null && !fieldMap.containsKey("name")) {
      name = text(root, "label", used, "name");
    }
    if (name == null || name.isBlank()) {
      throw new BadRecordException(
          "missing_field",
          "field '"
              + fieldMap.getOrDefault("name", "name")
              + "' (the role's name) is missing or empty");
    }
    name = name.strip();
    String id = text(root, "id", used);
    if (id == null || id.isBlank()) {
      id = RecordIds.derived("r-", derivedFrom(root, name));
    }
    String lang = text(root, "lang", used);
    String description = text(root, "description", used);
    List<String> aliases = aliases(root, used);
    List<Role.Field> profile = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    boolean hasTransClaims = root.has("trans_claims");
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (used.contains(key)
          || IGNORED.contains(key)
          || mappedAway(key)
          || key.equals("claims") && hasTransClaims
          || record != root && key.equals("meta")) {
        continue;
      }
      String value =
          key.equals("wiki") && e.getValue().has("content")
              ? e.getValue().get("content").asText()
              : flatten(e.getValue());
      if (value.isBlank()) {
        continue;
      }
      value = PoolMapper.capped(value, "field '" + key + "'", maxFieldChars, warnings);
      profile.add(new Role.Field(key.equals("trans_claims") ? "claims" : key, value));
    }
    return new Role(
        id.strip(),
        name,
        lang == null || lang.isBlank() ? "en" : lang.strip(),
        aliases,
        description == null ? "" : description.strip(),
        profile,
        origin,
        warnings);
  }

  /**
   * A field read as a canonical one (name, aliases, ...) is not profile text too; the work stays
   * profile.
   */
  private boolean mappedAway(String key) {
    return fieldMap.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals("work") && e.getValue().equals(key));
  }

  @Override
  public Map<String, String> identity(JsonNode record, Role mapped) {
    JsonNode root = record.path("meta").isObject() ? record.get("meta") : record;
    JsonNode id = at(root, fieldMap.getOrDefault("id", "id"));
    if (id != null && id.isValueNode() && !id.isNull() && !id.asText().isBlank()) {
      return Map.of("id", mapped.id());
    }
    return derivedFrom(root, mapped.name());
  }

  private Map<String, String> derivedFrom(JsonNode root, String name) {
    String nameField =
        fieldMap.getOrDefault("name", root.has("name") || !root.has("label") ? "name" : "label");
    return RecordIds.identity(nameField, name, root, identityFields);
  }

  @Override
  public Role withId(Role r, String id) {
    return new Role(
        id,
        r.name(),
        r.lang(),
        r.aliases(),
        r.description(),
        r.profile(),
        r.origin(),
        r.warnings());
  }

  private String text(JsonNode root, String canonical, Set<String> used) throws BadRecordException {
    return text(root, fieldMap.getOrDefault(canonical, canonical), used, canonical);
  }

  private String text(JsonNode root, String path, Set<String> used, String canonical)
      throws BadRecordException {
    JsonNode v = at(root, path);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    used.add(path.split("\\.")[0]);
    // Only an id may be a number (many datasets count their rows); a name of 42 is a mistake, not a
    // role.
    if (!v.isTextual() && !(canonical.equals("id") && v.isIntegralNumber())) {
      throw new BadRecordException(
          "wrong_type",
          "field '"
              + path
              + "' ("
              + canonical
              + ") must be a string, got "
              + (v.isArray()
                  ? "an array"
                  : v.isObject()
                      ? "an object"
                      : v.isNumber()
                          ? "a number"
                          : v.isBoolean() ? "true/false" : "a " + v.getNodeType()));
    }
    return v.asText();
  }

  private List<String> aliases(JsonNode root, Set<String> used) throws BadRecordException {
    String path = fieldMap.getOrDefault("aliases", "aliases");
    JsonNode v = at(root, path);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull() || v.isMissingNode()) {
      return out;
    }
    used.add(path.split("\\.")[0]);
    if (v.isArray()) {
      for (JsonNode a : v) {
        if (!a.isValueNode()) {
          throw new BadRecordException(
              "wrong_type", "field '" + path + "' (aliases) must hold strings");
        }
        if (!a.asText().isBlank()) {
          out.add(a.asText().strip());
        }
      }
    } else if (v.isValueNode()) {
      for (String a : v.asText().split("[;|、；]")) { // the Chinese rows list aliases with 、
        if (!a.isBlank()) {
          out.add(a.strip());
        }
      }
    } else {
      throw new BadRecordException(
          "wrong_type", "field '" + path + "' (aliases) must be a list or a string");
    }
    return out;
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode v = root;
    for (String part : path.split("\\.")) {
      v = v.path(part);
    }
    return v.isMissingNode() ? null : v;
  }

  /**
   * Profile text of any JSON value: Wikidata-style [[property, value], ...] become "property:
   * value" lines.
   */
  public static String flatten(JsonNode v) {
    if (v.isValueNode()) {
      return v.isNull() ? "" : v.asText();
    }
    List<String> parts = new ArrayList<>();
    if (v.isArray()) {
      for (JsonNode item : v) {
        if (item.isArray()) {
          List<String> cells = new ArrayList<>();
          item.forEach(c -> cells.add(flatten(c)));
          parts.add(
              cells.size() > 1
                  ? cells.get(0) + ": " + String.join(", ", cells.subList(1, cells.size()))
                  : String.join("", cells));
        } else {
          parts.add(flatten(item));
        }
      }
    } else {
      v.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + flatten(e.getValue())));
    }
    return String.join("; ", parts);
  }

  public static String shortHash(String name) {
    return Hashes.sha256(name).substring(0, 12);
  }
}
