package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A dataset's JSONL form as a jq filter over the record as Avro JSON, in {@code
 * pipelines/<pipeline>/forms/<file>}: an authors' record shape is a declaration, not Java. Each
 * value the filter yields is one line (compact JSON, keys in the filter's order).
 */
public final class JqForm implements SerializableFunction<SpecificRecordBase, String> {
  /** The definitions every form may use: turns as chat and alpaca records. */
  static final String COMMON = "forms/turns.jq";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Scope BUILTINS = builtins();

  /** The filters {@link #run} was given, compiled. */
  private static final Map<String, JsonQuery> COMPILED = new ConcurrentHashMap<>();

  private final String file;
  private final String defs;
  private final String body;
  private final Map<String, JsonNode> vars;
  private transient JsonQuery query;

  private JqForm(String file, String defs, String body, Map<String, JsonNode> vars) {
    this.file = file;
    this.defs = defs;
    this.body = body;
    this.vars = vars;
    compiled();
  }

  /**
   * The form in {@code pipelines/<pipeline>/forms/<name>}, after the definitions the pipeline's
   * forms share ({@code forms/defs.jq}, when it has one); compiled now: a typo fails at once.
   */
  public static JqForm of(String pipeline, String name) {
    String dir = "pipelines/" + pipeline + "/forms/";
    String defs = Resources.text(COMMON) + "\n";
    try {
      defs += Resources.text(dir + "defs.jq") + "\n";
    } catch (ConfigException none) {
      // a pipeline's forms need not share definitions of their own
    }
    return new JqForm(dir + name, defs, Resources.text(dir + name), Map.of());
  }

  /**
   * This form's output piped through {@code filter}: a form of turns {@code .then("chat")} or
   * {@code .then("alpaca")}, the training formats every form may use ({@value #COMMON}).
   */
  public JqForm then(String filter) {
    return new JqForm(file, defs, "(" + body + "\n) | " + filter, vars);
  }

  /** This form with {@code $name} bound to {@code value} (as JSON) in its filter. */
  public JqForm with(String name, Object value) {
    Map<String, JsonNode> more = new TreeMap<>(vars);
    more.put(name, JSON.valueToTree(value));
    return new JqForm(file, defs, body, Collections.unmodifiableMap(more));
  }

  @Override
  public String apply(SpecificRecordBase record) {
    List<String> lines = new ArrayList<>();
    JsonNode in = AvroJson.tree(record);
    try {
      Scope scope = Scope.newChildScope(BUILTINS);
      vars.forEach(scope::setValue);
      compiled().apply(scope, in, out -> lines.add(out.toString()));
    } catch (JsonQueryException e) {
      Object id = record.getSchema().getField("id") == null ? "a record" : record.get("id");
      throw new IllegalStateException(file + " failed on " + id + ": " + e.getMessage(), e);
    }
    return String.join("\n", lines);
  }

  private JsonQuery compiled() {
    if (query == null) {
      try {
        query = JsonQuery.compile(defs + body, Versions.JQ_1_6);
      } catch (JsonQueryException e) {
        throw new ConfigException(file + " is not a jq filter: " + e.getMessage());
      }
    }
    return query;
  }

  /**
   * Every value {@code filter} yields for {@code in}, after the definitions every form may use
   * ({@value #COMMON}): for jq declared elsewhere than a form (the review's views). {@code where}
   * names the filter in errors.
   */
  public static List<JsonNode> run(String where, String filter, JsonNode in) {
    JsonQuery q =
        COMPILED.computeIfAbsent(
            filter,
            f -> {
              try {
                return JsonQuery.compile(Resources.text(COMMON) + "\n" + f, Versions.JQ_1_6);
              } catch (JsonQueryException e) {
                throw new ConfigException(where + " is not a jq filter: " + e.getMessage());
              }
            });
    List<JsonNode> out = new ArrayList<>();
    try {
      q.apply(Scope.newChildScope(BUILTINS), in, out::add);
    } catch (JsonQueryException e) {
      throw new IllegalStateException(where + " failed: " + e.getMessage(), e);
    }
    return out;
  }

  private static Scope builtins() {
    Scope root = Scope.newEmptyScope();
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
    return root;
  }
}
