package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The id rule every pipeline that reads roles shares. A record with an {@code id} keeps it. A role
 * without one is named by its name together with the work it comes from and its source, so that the
 * same character in two works (or in a novel and its screenplay) is two roles: the first present of
 * {@link #WORK_FIELDS} and of {@link #SOURCE_FIELDS}, plus any field a pipeline names (Beyond
 * Dialogue's {@code --sourceField}, a {@code --fieldMap work=...}). Records that still share an id
 * are told apart by {@code ReadPool}: a true repeat (the same content) is a dead letter, anything
 * else gets its line added to the id.
 */
public final class RecordIds {
  /** Fields naming the work a role comes from, first present wins. */
  public static final List<String> WORK_FIELDS =
      List.of("work", "series", "franchise", "所属作品", "作品");

  /** Fields naming the text or file a role was taken from, first present wins. */
  public static final List<String> SOURCE_FIELDS =
      List.of("source_file", "sourceFile", "file", "文件路径", "source");

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private RecordIds() {}

  /**
   * The fields an id is derived from: the name, then the first work field, the first source field
   * and the {@code extra} ones present in {@code root}, by the names they have in the pool.
   */
  public static Map<String, String> identity(
      String nameField, String name, JsonNode root, List<String> extra) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(nameField, name);
    first(root, WORK_FIELDS, out);
    first(root, SOURCE_FIELDS, out);
    for (String f : extra) {
      String v = text(root, f);
      if (v != null && !out.containsKey(f)) {
        out.put(f, v);
      }
    }
    return out;
  }

  /**
   * {@code prefix} plus a hash of the identity; with the name alone, the hash of the name, as
   * before.
   */
  public static String derived(String prefix, Map<String, String> identity) {
    if (identity.size() == 1) {
      return prefix + RoleMapper.shortHash(identity.values().iterator().next());
    }
    StringBuilder key = new StringBuilder();
    identity.forEach((k, v) -> key.append(k).append('\u001f').append(v).append('\u001e'));
    return prefix + RoleMapper.shortHash(key.toString());
  }

  /** The record's content, independent of key order and formatting: equal for a true repeat. */
  public static String fingerprint(JsonNode record) {
    try {
      return RoleMapper.shortHash(
          CANONICAL.writeValueAsString(CANONICAL.treeToValue(record, Object.class)));
    } catch (IOException e) {
      return RoleMapper.shortHash(record.toString());
    }
  }

  private static void first(JsonNode root, List<String> fields, Map<String, String> out) {
    for (String f : fields) {
      String v = text(root, f);
      if (v != null) {
        out.put(f, v);
        return;
      }
    }
  }

  private static String text(JsonNode root, String path) {
    JsonNode v = root;
    for (String part : path.split("\\.")) {
      v = v.path(part);
    }
    return v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText().strip() : null;
  }
}
