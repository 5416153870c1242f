package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reviewers' verdicts, as the review page exports them ({@code verdicts.jsonl}: dataset, id,
 * stratum, verdict, note, reviewer, time), and what they say: acceptance per stratum and overall
 * with Wilson 95 % intervals. A record judged twice counts once, by its latest verdict.
 */
public final class Verdicts {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final double Z95 = 1.959963984540054;
  private static final Set<String> KINDS = Set.of("accept", "reject");

  /** dataset \t id → latest verdict line. */
  private final Map<String, JsonNode> byRecord;

  private Verdicts(Map<String, JsonNode> byRecord) {
    this.byRecord = byRecord;
  }

  public static Verdicts read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--verdicts: no such file " + file);
    }
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode v;
      try {
        v = MAPPER.readTree(lines.get(i));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ConfigException(
            file + " line " + (i + 1) + ": not JSON (" + e.getOriginalMessage() + ")");
      }
      for (String field : List.of("dataset", "id", "verdict")) {
        if (!v.path(field).isTextual()) {
          throw new ConfigException(
              file + " line " + (i + 1) + ": field '" + field + "' missing or not text");
        }
      }
      if (!KINDS.contains(v.path("verdict").asText())) {
        throw new ConfigException(
            file
                + " line "
                + (i + 1)
                + ": field 'verdict' must be accept or reject, not '"
                + v.path("verdict").asText()
                + "'");
      }
      String key = v.path("dataset").asText() + "\t" + v.path("id").asText();
      JsonNode before = latest.get(key);
      if (before == null || v.path("time").asText().compareTo(before.path("time").asText()) >= 0) {
        latest.put(key, v);
      }
    }
    return new Verdicts(latest);
  }

  /** Ids of the accepted records of a dataset. */
  public Set<String> accepted(String dataset) {
    Set<String> ids = new TreeSet<>();
    byRecord
        .values()
        .forEach(
            v -> {
              if (v.path("dataset").asText().equals(dataset)
                  && v.path("verdict").asText().equals("accept")) {
                ids.add(v.path("id").asText());
              }
            });
    return ids;
  }

  public int size() {
    return byRecord.size();
  }

  /**
   * Acceptance per dataset and stratum, and overall, each with its Wilson interval; strata are
   * taken from the sample (what the page showed), so a verdict for a record not in the sample is an
   * error.
   */
  public ObjectNode summary(Map<String, JsonNode> sampleByKey) {
    Map<String, int[]> counts = new TreeMap<>(); // stratum key → {accepted, judged}
    int accepted = 0;
    for (Map.Entry<String, JsonNode> e : byRecord.entrySet()) {
      JsonNode sampled = sampleByKey.get(e.getKey());
      if (sampled == null) {
        throw new ConfigException(
            "verdict for "
                + e.getKey().replace('\t', '/')
                + ", which is not in this review's sample"
                + " (another seed, run or --by?)");
      }
      boolean ok = e.getValue().path("verdict").asText().equals("accept");
      int[] c =
          counts.computeIfAbsent(
              sampled.path("dataset").asText() + "\t" + sampled.path("stratum").asText(),
              k -> new int[2]);
      c[0] += ok ? 1 : 0;
      c[1]++;
      accepted += ok ? 1 : 0;
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.set("overall", interval(accepted, byRecord.size()));
    ObjectNode strata = out.putObject("strata");
    counts.forEach(
        (k, c) -> {
          String[] parts = k.split("\t", 2);
          strata.with(parts[0]).set(parts[1], interval(c[0], c[1]));
        });
    return out;
  }

  /** {accepted, judged, rate, low, high}: the Wilson score interval at 95 %. */
  static ObjectNode interval(int accepted, int n) {
    ObjectNode o = MAPPER.createObjectNode().put("accepted", accepted).put("judged", n);
    if (n == 0) {
      return o;
    }
    double[] w = wilson(accepted, n);
    return o.put("rate", (double) accepted / n).put("low", w[0]).put("high", w[1]);
  }

  static double[] wilson(int successes, int n) {
    double p = (double) successes / n;
    double z2 = Z95 * Z95;
    double denom = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denom;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    return new double[] {Math.max(0, center - half), Math.min(1, center + half)};
  }
}
