package dev.rolesynth.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A dataset's Avro record filled from a method's record by field name, so a method writes only the
 * fields whose value is not a component of the same name: each Avro field takes the component of
 * that name (looked for in the record, then in the records it holds), a nested Avro record or a
 * list of them is filled from the record or records of that name the same way; {@link #with} gives
 * a field its value outright. A field nothing gives is an error naming it, found by the method's
 * first test.
 */
public final class AvroRecords {
  private final Map<String, Object> values;

  private AvroRecords(Map<String, Object> values) {
    this.values = values;
  }

  /** The values {@code record} gives, by component name. */
  public static AvroRecords from(Record record) {
    return new AvroRecords(components(record));
  }

  /** The values another dataset's record gives, by field name (a record made from another). */
  public static AvroRecords from(SpecificRecord record) {
    Map<String, Object> values = new HashMap<>();
    record.getSchema().getFields().forEach(f -> values.put(f.name(), record.get(f.pos())));
    return new AvroRecords(values);
  }

  /** These values with the field {@code name} given {@code value}, whatever the record gives. */
  public AvroRecords with(String name, Object value) {
    values.put(name, value);
    return this;
  }

  /** The Avro record {@code type} filled from these values. */
  public <T extends SpecificRecord> T as(Class<T> type) {
    return fill(type, values);
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T fill(Class<T> type, Map<String, Object> values) {
    T out = (T) SpecificData.newInstance(type, null);
    for (Schema.Field f : out.getSchema().getFields()) {
      if (!values.containsKey(f.name())) {
        throw new IllegalArgumentException(
            "nothing gives " + type.getSimpleName() + "." + f.name() + " a value");
      }
      try {
        out.put(f.pos(), convert(f.schema(), values.get(f.name())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            type.getSimpleName() + "." + f.name() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Object convert(Schema schema, Object v) {
    if (v == null) {
      return null;
    }
    Schema s = nonNull(schema);
    return switch (s.getType()) {
      case RECORD -> v instanceof Record r ? fill(avroClass(s), components(r)) : v;
      case ARRAY ->
          v instanceof List<?> l ? l.stream().map(x -> convert(s.getElementType(), x)).toList() : v;
      case INT -> v instanceof Number n ? n.intValue() : v;
      case LONG -> v instanceof Number n ? n.longValue() : v;
      case DOUBLE -> v instanceof Number n ? n.doubleValue() : v;
      case STRING -> v instanceof CharSequence ? v : mismatch(v, "a text");
      default -> v;
    };
  }

  private static Object mismatch(Object v, String wanted) {
    throw new IllegalArgumentException(
        "a " + v.getClass().getSimpleName() + " is not " + wanted + ": give it with with(...)");
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(t -> t.getType() != Schema.Type.NULL)
        .findFirst()
        .orElse(schema);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends SpecificRecord> avroClass(Schema s) {
    return (Class<? extends SpecificRecord>) SpecificData.get().getClass(s);
  }

  /** Every component by name, the nearest of a name kept (see {@link Components}). */
  private static Map<String, Object> components(Record record) {
    Map<String, Object> out = new HashMap<>();
    Components.each(record, out::putIfAbsent);
    return out;
  }
}
