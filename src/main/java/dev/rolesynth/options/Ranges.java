package dev.rolesynth.options;

import dev.rolesynth.ConfigException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.options.PipelineOptions;

/** Checks every {@link Range}d option of an options interface. */
public final class Ranges {
  private Ranges() {}

  /** Throws a ConfigException naming the first option of {@code type} out of its range. */
  public static void check(PipelineOptions options, Class<? extends PipelineOptions> type) {
    PipelineOptions o = options.as(type);
    Method[] getters = type.getMethods();
    Arrays.sort(getters, Comparator.comparing(Method::getName));
    for (Method m : getters) {
      Range r = m.getAnnotation(Range.class);
      if (r == null) {
        continue;
      }
      long v;
      try {
        v = ((Number) m.invoke(o)).longValue();
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
      if (v < r.min() || v > r.max()) {
        throw new ConfigException(
            "--"
                + optionName(m)
                + " must be between "
                + r.min()
                + " and "
                + r.max()
                + ", got "
                + v);
      }
    }
  }

  /**
   * The option a getter of an options interface stands for ({@code getMaxFieldChars} →
   * maxFieldChars), or null.
   */
  public static String optionName(Method m) {
    String n = m.getName();
    if (m.getParameterCount() != 0 || !n.startsWith("get") || n.length() < 4) {
      return null;
    }
    return Character.toLowerCase(n.charAt(3)) + n.substring(4);
  }

  /** "from 1 to 30", for --help, or null for an option without a range. */
  public static String describe(Method getter) {
    Range r = getter.getAnnotation(Range.class);
    return r == null ? null : "from " + r.min() + " to " + r.max();
  }
}
