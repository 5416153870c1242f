package dev.rolesynth.pipeline;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A stage's template variables read from a record instead of built by hand: each component by its
 * name, then the components of the records it holds (a scene's character's {@code name}), the
 * nearer record winning where two names agree; a list of strings as one text, joined by ", ", as a
 * prompt reads it. {@link #with} adds to or replaces what the record gives.
 */
public final class Vars extends LinkedHashMap<String, Object> {
  private Vars() {}

  /** No variables yet: {@link #with} adds them. */
  public static Vars of() {
    return new Vars();
  }

  /** The variables of {@code record}. */
  public static Vars of(Record record) {
    Vars out = new Vars();
    Components.each(
        record,
        (name, v) -> {
          if (!(v instanceof Record) && !out.containsKey(name)) {
            out.put(name, text(v));
          }
        });
    return out;
  }

  /** These variables with {@code name} set to {@code value}. */
  public Vars with(String name, Object value) {
    put(name, value);
    return this;
  }

  private static Object text(Object v) {
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      return String.join(", ", l.stream().map(String.class::cast).toList());
    }
    return v;
  }
}
