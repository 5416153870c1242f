package dev.rolesynth.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.PromptBook;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A method's own options: their names and types are a record's components in the method's package,
 * their defaults, ranges and help the {@code options:} of its {@code pipeline.yaml}. Read from the
 * command line (or a {@code --config} file) by name, typed, defaulted and range-checked here for
 * every method, shown by {@code --help} and in the manifest; the launcher folds them into the one
 * option {@code --knobs} (JSON) that travels with Beam's options to every worker.
 */
public final class Knobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Knobs() {}

  /** The knobs from {@code given} (option name → text), defaults for the rest; checked. */
  public static <K extends Record> K parse(
      String pipeline, Class<K> type, Map<String, String> given) {
    JsonNode specs = specs(pipeline, type);
    RecordComponent[] parts = type.getRecordComponents();
    Object[] values = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      JsonNode spec = specs.get(parts[i].getName());
      String text = given.getOrDefault(parts[i].getName(), spec.get("default").asText()).strip();
      values[i] = value(parts[i], spec, text);
    }
    return construct(type, values);
  }

  /** The knobs the launcher put in {@code options} (defaults when it put none, as in tests). */
  public static <K extends Record> K of(RolesynthOptions options, String pipeline, Class<K> type) {
    Map<String, String> given = new TreeMap<>();
    try {
      JSON.readTree(options.getKnobs().isBlank() ? "{}" : options.getKnobs())
          .fields()
          .forEachRemaining(e -> given.put(e.getKey(), e.getValue().asText()));
    } catch (IOException e) {
      throw new ConfigException("--knobs is not a JSON object: " + e.getMessage());
    }
    return parse(pipeline, type, given);
  }

  /**
   * The options of every pipeline from a command line that may hold the pipeline's own options too,
   * as the launcher parses it (for tests and benchmarks that build settings without it).
   */
  public static RolesynthOptions parseArgs(
      String pipeline, Class<? extends Record> type, String... args) {
    return org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(fold(args, pipeline, type))
        .as(RolesynthOptions.class);
  }

  /** {@code args} with the knobs' own flags replaced by {@code --knobs=<their values as JSON>}. */
  public static String[] fold(String[] args, String pipeline, Class<? extends Record> type) {
    Set<String> names = new TreeSet<>(names(type));
    Map<String, String> given = new TreeMap<>();
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      String name = a.startsWith("--") ? a.substring(2, eq < 0 ? a.length() : eq) : "";
      if (names.contains(name)) {
        given.put(name, eq < 0 ? "true" : a.substring(eq + 1));
      } else {
        rest.add(a);
      }
    }
    rest.add("--knobs=" + values(parse(pipeline, type, given)));
    return rest.toArray(String[]::new);
  }

  /** Every knob's name, in the record's order. */
  public static List<String> names(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  /** The knobs by name, as JSON (for the manifest's config, and the {@code --knobs} option). */
  public static ObjectNode values(Record knobs) {
    return JSON.valueToTree(knobs);
  }

  /** Name → {type, "what it does (default: x, between min and max)"}, for {@code --help}. */
  public static Map<String, String[]> help(String pipeline, Class<? extends Record> type) {
    JsonNode specs = specs(pipeline, type);
    Map<String, String[]> out = new LinkedHashMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode s = specs.get(c.getName());
      String given = s.get("default").asText();
      String notes = "default: " + (given.isEmpty() ? "empty" : given);
      notes += range(s).isEmpty() ? "" : ", " + range(s);
      notes += s.has("choices") ? ", one of " + s.get("choices") : "";
      String text = s.get("help").asText() + " (" + notes + ")";
      out.put(c.getName(), new String[] {c.getType().getSimpleName(), text});
    }
    return out;
  }

  /** The {@code options:} of the pipeline's YAML, one entry for each of the record's components. */
  private static JsonNode specs(String pipeline, Class<? extends Record> type) {
    JsonNode specs = PromptBook.declaration(pipeline).path("options");
    String file = "pipelines/" + pipeline + "/pipeline.yaml";
    Set<String> declared = new TreeSet<>();
    specs.fieldNames().forEachRemaining(declared::add);
    if (!declared.equals(new TreeSet<>(names(type)))) {
      throw new ConfigException(
          file
              + ": options: must declare "
              + new TreeSet<>(names(type))
              + ", declares "
              + declared);
    }
    for (String name : declared) {
      if (Arrays.stream(RolesynthOptions.class.getMethods())
          .anyMatch(m -> name.equals(Ranges.optionName(m)))) {
        throw new ConfigException(file + ": option " + name + " is an option of every pipeline");
      }
      if (!specs.get(name).has("default") || !specs.get(name).has("help")) {
        throw new ConfigException(file + ": option " + name + " needs a default and a help text");
      }
    }
    return specs;
  }

  private static Object value(RecordComponent c, JsonNode spec, String text) {
    Object v = typed(c.getName(), c.getType(), text);
    if (v instanceof String) {
      v = choice(c.getName(), spec.path("choices"), text);
    }
    if (v instanceof Number n
        && ((spec.has("min") && n.doubleValue() < spec.get("min").asDouble())
            || (spec.has("max") && n.doubleValue() > spec.get("max").asDouble()))) {
      throw new ConfigException("--" + c.getName() + " must be " + range(spec) + ", got " + text);
    }
    return v;
  }

  /**
   * {@code text} as a value of {@code type} when that is a number or a boolean (any other type: the
   * text itself), or a configuration error naming {@code --option}: Beam's own message for
   * "--limit=abc" does not name the option. For a method's own options and those of every pipeline.
   */
  public static Object typed(String option, Class<?> type, String text) {
    String t = type.getSimpleName().toLowerCase(Locale.ROOT);
    try {
      return switch (t) {
        case "int", "integer" -> Integer.parseInt(text.strip());
        case "long" -> Long.parseLong(text.strip());
        case "double" -> Double.parseDouble(text.strip());
        case "boolean" -> {
          if (!text.strip().matches("(?i)true|false")) {
            throw new NumberFormatException();
          }
          yield Boolean.parseBoolean(text.strip().toLowerCase(Locale.ROOT));
        }
        default -> text;
      };
    } catch (NumberFormatException e) {
      String wanted =
          t.equals("boolean")
              ? "true or false"
              : t.equals("double") ? "a number" : "a whole number";
      throw new ConfigException("--" + option + " must be " + wanted + ", got '" + text + "'");
    }
  }

  /** "between 1 and 30", "at least 1", "at most 5", or "" for a knob without a range. */
  private static String range(JsonNode spec) {
    String min = spec.path("min").asText();
    String max = spec.path("max").asText();
    return !min.isEmpty() && !max.isEmpty()
        ? "between " + min + " and " + max
        : !min.isEmpty() ? "at least " + min : !max.isEmpty() ? "at most " + max : "";
  }

  /** {@code text} as one of the declared {@code choices} (in any case), when there are any. */
  private static String choice(String name, JsonNode choices, String text) {
    if (choices.isMissingNode()) {
      return text;
    }
    List<String> all = new ArrayList<>();
    choices.forEach(x -> all.add(x.asText()));
    for (String x : all) {
      if (x.equalsIgnoreCase(text)) {
        return x;
      }
    }
    String listed =
        String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    throw new ConfigException("--" + name + " must be " + listed + ", got '" + text + "'");
  }

  private static <K extends Record> K construct(Class<K> type, Object[] values) {
    Class<?>[] types =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class[]::new);
    try {
      Constructor<K> c = type.getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make " + type.getName(), e);
    }
  }
}
