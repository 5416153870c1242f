package dev.rolesynth.pipeline;

import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's template variables read from a record instead of built by hand: each component by its
 * name, then the components of the records it holds (a scene's character's {@code name}), the outer
 * name winning where two agree; a list of strings as one text, joined by ", ", as a prompt reads
 * it. Pairs given after the record add to or replace what it gives.
 */
public final class Vars {
  private Vars() {}

  /** The variables of {@code record}, then {@code pairs} (name, value, name, value...). */
  public static Map<String, Object> of(Record record, Object... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("variables come in name, value pairs");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Deque<Record> todo = new ArrayDeque<>(List.of(record));
    while (!todo.isEmpty()) {
      Record r = todo.removeFirst();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        Object v = value(r, c);
        if (v instanceof Record nested) {
          todo.addLast(nested);
        } else if (!out.containsKey(c.getName())) {
          out.put(c.getName(), text(v));
        }
      }
    }
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /** The value of one component; records are public or nested in the method's package. */
  static Object value(Record r, RecordComponent c) {
    try {
      var accessor = c.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + r.getClass().getName() + "." + c, e);
    }
  }

  private static Object text(Object v) {
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return String.join(", ", l.stream().map(String.class::cast).toList());
    }
    return v;
  }
}
