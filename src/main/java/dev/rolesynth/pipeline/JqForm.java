package dev.rolesynth.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.Resources;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A dataset's JSONL form as a jq filter over the record's Avro JSON, in {@code
 * pipelines/<pipeline>/forms/<file>}: an authors' record shape is a declaration, not Java. Each
 * value the filter yields is one line (compact JSON, keys in the filter's order).
 */
public final class JqForm<R extends SpecificRecordBase> implements SerializableFunction<R, String> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Scope BUILTINS = builtins();

  private final String file;
  private final String filter;
  private transient JsonQuery query;

  private JqForm(String file, String filter) {
    this.file = file;
    this.filter = filter;
    compiled();
  }

  /** The form in {@code pipelines/<pipeline>/forms/<name>}, compiled now: a typo fails at once. */
  public static <R extends SpecificRecordBase> JqForm<R> of(String pipeline, String name) {
    String file = "pipelines/" + pipeline + "/forms/" + name;
    return new JqForm<>(file, Resources.text(file));
  }

  @Override
  public String apply(R record) {
    List<String> lines = new ArrayList<>();
    JsonNode in;
    try {
      in = JSON.readTree(record.toString());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(file + ": the record is not JSON: " + e.getMessage(), e);
    }
    try {
      compiled().apply(Scope.newChildScope(BUILTINS), in, out -> lines.add(out.toString()));
    } catch (JsonQueryException e) {
      Object id = record.getSchema().getField("id") == null ? "a record" : record.get("id");
      throw new IllegalStateException(file + " failed on " + id + ": " + e.getMessage(), e);
    }
    return String.join("\n", lines);
  }

  private JsonQuery compiled() {
    if (query == null) {
      try {
        query = JsonQuery.compile(filter, Versions.JQ_1_6);
      } catch (JsonQueryException e) {
        throw new ConfigException(file + " is not a jq filter: " + e.getMessage());
      }
    }
    return query;
  }

  private static Scope builtins() {
    Scope root = Scope.newEmptyScope();
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
    return root;
  }
}
