package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.review.Review.Run;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks on what a review read: every record the manifest counts, and the records and samples per
 * stratum.
 */
final class SampleCounts {
  private SampleCounts() {}

  /**
   * The records the review counted, per dataset, are the records the run's manifest says it wrote.
   */
  static void checkEveryRecordWasRead(Run run, Map<String, Long> counts) {
    Map<String, Long> read = new TreeMap<>();
    counts.forEach(
        (k, n) -> {
          String[] f = k.split("\t");
          if (f[0].equals(Observations.STRATA)) {
            read.merge(f[1].split(" · ", 2)[0], n, Long::sum);
          }
        });
    for (String dataset : run.avroGlobs().keySet()) {
      long expected = run.manifest().path("datasets").path(dataset).path("avro").asLong(-1);
      long got = read.getOrDefault(dataset, 0L);
      if (expected >= 0 && expected != got) {
        throw new IllegalStateException(
            "the review read "
                + got
                + " "
                + dataset
                + " records but the run's manifest lists "
                + expected
                + ": not reviewing a partial read");
      }
    }
  }

  /** Records and sampled records per dataset and stratum. */
  static ObjectNode strata(Map<String, Long> counts, List<JsonNode> sample) {
    ObjectNode out = Review.MAPPER.createObjectNode();
    counts.forEach(
        (k, n) -> {
          String[] f = k.split("\t");
          if (f[0].equals(Observations.STRATA)) {
            String[] ds = f[1].split(" · ", 2);
            out.with(ds[0]).with(ds[1]).put("records", n).put("sampled", 0);
          } else if (f[0].equals(Observations.FAILURES)) {
            out.with(SampleSpec.DEAD_LETTERS).with(f[1]).put("records", n).put("sampled", 0);
          }
        });
    for (JsonNode s : sample) {
      ObjectNode st = out.with(s.path("dataset").asText()).with(s.path("stratum").asText());
      st.put("sampled", st.path("sampled").asInt() + 1);
    }
    return out;
  }
}
