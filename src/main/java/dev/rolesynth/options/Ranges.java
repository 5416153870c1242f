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
      double v;
      try {
        v = ((Number) m.invoke(o)).doubleValue();
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
      if (v < r.min() || v > r.max()) {
        throw new ConfigException(
            "--"
                + optionName(m)
                + " must be between "
                + number(r.min())
                + " and "
                + number(r.max())
                + ", got "
                + number(v));
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
    return r == null ? null : "from " + number(r.min()) + " to " + number(r.max());
  }

  /** 30 rather than 30.0; 0.5 as it is. */
  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
