package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;

/**
 * What each record adds to the review's charts, as {@code chart \t label} keys to be counted: turns
 * per dialogue, lengths in tokens, judge scores, refusals by query type, records per stratum, and
 * dead letters by stage and reason. Counting keys keeps the whole run's charts to a few hundred
 * numbers.
 */
final class Observations {
  static final String STRATA = "records by stratum";
  static final String TURNS = "turns per record";
  static final String TOKENS = "length of the answers in tokens";
  static final String JUDGES = "judge verdicts";
  static final String REFUSALS = "declined by query type";
  static final String FAILURES = "dead letters by stage and reason";
  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private Observations() {}

  static List<String> of(String dataset, String schema, String stratum, JsonNode record) {
    List<String> out = new ArrayList<>();
    if (dataset.equals(SampleSpec.DEAD_LETTERS)) {
      out.add(FAILURES + "\t" + stratum);
      return out;
    }
    out.add(STRATA + "\t" + dataset + " · " + stratum);
    JsonNode transcript = RecordViews.transcript(schema, record);
    int turns = 0;
    int tokens = 0;
    for (JsonNode t : transcript) {
      if (t.path("role").asText().equals("assistant")) {
        turns++;
        tokens += CL100K.countTokensOrdinary(t.path("content").asText());
      }
    }
    out.add(TURNS + "\t" + dataset + "\t" + turns);
    out.add(TOKENS + "\t" + dataset + "\t" + bucket(tokens));
    for (JsonNode t : record.path("turns")) {
      String type = t.path("queryType").asText();
      out.add(
          REFUSALS
              + "\t"
              + type
              + "\t"
              + (t.path("declined").asBoolean() ? "declined" : "answered"));
      JsonNode j = t.path("judge");
      if (j.isObject()) {
        out.add(
            JUDGES + "\tidentity\t" + (j.path("identityCorrect").asBoolean() ? "right" : "wrong"));
        out.add(JUDGES + "\trefusal\t" + j.path("refusal").asInt());
        if (j.path("knowledgeScore").isNumber()) {
          out.add(JUDGES + "\tknowledge\t" + Math.round(j.path("knowledgeScore").asDouble()));
        }
      }
    }
    if (record.path("judge").isObject()) {
      out.add(JUDGES + "\tJekyll & Hyde\t" + record.path("judge").path("winner").asText("?"));
    }
    return out;
  }

  /** Token counts in buckets of 50 up to 1,000, then 250 up to 4,000. */
  static String bucket(int tokens) {
    if (tokens >= 4000) {
      return "4000+";
    }
    int width = tokens < 1000 ? 50 : 250;
    int low = tokens / width * width;
    return String.format("%04d-%04d", low, low + width - 1);
  }
}
