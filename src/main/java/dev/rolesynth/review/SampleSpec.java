package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.core.Hashes;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a run is sampled. A record's place in the sample depends only on the seed and its id (the
 * smallest hashes of {@code seed:dataset:id} win within each stratum), so the sample is the same
 * whatever the shard count, bundle order or runner, and a second reviewer with the seed gets it
 * again.
 */
public record SampleSpec(long seed, int size, boolean perStratum, List<String> by)
    implements Serializable {
  public static final String DEAD_LETTERS = "dead letters";

  public SampleSpec {
    by = List.copyOf(by);
  }

  /** The sampling key: unsigned order of the first 64 bits of SHA-256. */
  public long hash(String dataset, String id) {
    return Hashes.first64(seed + ":" + dataset + ":" + id);
  }

  /** The stratum of a record: its dataset, then the --by fields or the method's own strata. */
  public String stratum(String dataset, String schema, JsonNode record) {
    if (dataset.equals(DEAD_LETTERS)) {
      return record.path("stage").asText("?") + ": " + record.path("reason").asText("?");
    }
    if (by.isEmpty()) {
      return RecordViews.stratum(schema, record);
    }
    StringBuilder s = new StringBuilder();
    for (String path : by) {
      s.append(s.length() == 0 ? "" : " · ").append(path).append('=').append(value(record, path));
    }
    return s.toString();
  }

  /** A dotted path's value; through arrays, the distinct values joined with '+'. */
  static String value(JsonNode record, String path) {
    Set<String> values = new TreeSet<>();
    collect(record, path.split("\\."), 0, values);
    return values.isEmpty() ? "(none)" : String.join("+", values);
  }

  private static void collect(JsonNode n, String[] parts, int i, Set<String> out) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return;
    }
    if (n.isArray()) {
      n.forEach(x -> collect(x, parts, i, out));
    } else if (i == parts.length) {
      out.add(n.isValueNode() ? n.asText() : n.toString());
    } else {
      collect(n.get(parts[i]), parts, i + 1, out);
    }
  }
}
