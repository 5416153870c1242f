package dev.rolesynth.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A mapper for a pool record that is a Java record with an {@code id} component: its type, its
 * identity (the id the pool gave) and its namesake copy come from the record class, so a method
 * writes only {@link #map}. The helpers read fields the way every pool is read: strings stripped, a
 * missing or mistyped field named in the dead letter.
 */
public abstract class PoolMapper<T extends Record & PoolRecord> implements RecordMapper<T> {
  private final Class<T> type;

  protected PoolMapper(Class<T> type) {
    this.type = type;
    if (Arrays.stream(type.getRecordComponents()).noneMatch(c -> c.getName().equals("id"))) {
      throw new IllegalArgumentException(type.getName() + " has no 'id' component");
    }
  }

  @Override
  public final Class<T> type() {
    return type;
  }

  /** The id as given; a mapper whose ids may be derived from fields says so by overriding. */
  @Override
  public Map<String, String> identity(JsonNode record, T mapped) {
    return Map.of("id", mapped.id());
  }

  /** The same record with {@code id} replaced, through the record's canonical constructor. */
  @Override
  public final T withId(T record, String id) {
    RecordComponent[] parts = type.getRecordComponents();
    Object[] values = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        types[i] = parts[i].getType();
        var accessor = parts[i].getAccessor();
        accessor.setAccessible(true);
        values[i] = parts[i].getName().equals("id") ? id : accessor.invoke(record);
      }
      Constructor<T> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException t ? t.getCause() : e;
      throw new IllegalStateException("cannot copy " + type.getSimpleName() + " with an id", cause);
    }
  }

  /**
   * {@code text} cut to {@code max} characters, saying so in the record's warnings ({@code what}:
   * "field 'bio'", "the question").
   */
  protected static String capped(String text, String what, int max, List<String> warnings) {
    if (text.length() <= max) {
      return text;
    }
    warnings.add(
        what + " was cut from " + text.length() + " to " + max + " characters (--maxFieldChars)");
    return text.substring(0, max);
  }

  /** The {@code id} the pool line gives, stripped, or "" when it gives none. */
  protected static String givenId(JsonNode r) {
    return r.path("id").isValueNode() ? r.get("id").asText().strip() : "";
  }

  /** A required, non-blank string field, stripped. */
  protected static String text(JsonNode r, String field) throws BadRecordException {
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

  /**
   * A required list of strings, given as a JSON array or as comma-separated text; {@code about}
   * says what it holds when it is missing.
   */
  protected static List<String> texts(JsonNode r, String field, String about)
      throws BadRecordException {
    List<String> out = new ArrayList<>();
    JsonNode t = r.get(field);
    if (t != null && t.isArray()) {
      for (JsonNode x : t) {
        if (!x.isTextual()) {
          throw new BadRecordException(
              "wrong_type", "field '" + field + "' must hold strings, got " + x.getNodeType());
        }
        out.add(x.asText().strip());
      }
    } else if (t != null && t.isTextual()) {
      for (String x : t.asText().split(",")) {
        out.add(x.strip());
      }
    } else if (t != null && !t.isNull()) {
      throw new BadRecordException(
          "wrong_type", "field '" + field + "' must be a list of strings, got " + t.getNodeType());
    }
    out.removeIf(String::isEmpty);
    if (out.isEmpty()) {
      throw new BadRecordException(
          "missing_field", "field '" + field + "' (" + about + ") is missing or empty");
    }
    return List.copyOf(out);
  }
}
