package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.samskivert.mustache.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The review as a self-contained page ({@code index.html}: data, script, style and Apache ECharts
 * inlined, so it opens from disk with no network) and as terminal text. The page's data is JSON in
 * a script element with every {@code <} escaped, and the script sets run text as textContent only.
 */
final class ReviewPage {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String[]> LLM_COUNTS =
      List.of(
          new String[] {"calls", "calls"},
          new String[] {"requests", "requests sent"},
          new String[] {"rateLimited", "429s"},
          new String[] {"retries", "retries"},
          new String[] {"repairs", "re-asks"},
          new String[] {"cacheHits", "cache hits"},
          new String[] {"failedCalls", "failed calls"});

  private ReviewPage() {}

  /** The summary on top of the page, from the run's manifest. */
  static ObjectNode summary(JsonNode m, int sampled) {
    ObjectNode s = MAPPER.createObjectNode();
    s.put("pipeline", m.path("pipeline").asText() + " " + m.path("pipelineVersion").asText());
    s.put("status", m.path("status").asText());
    s.put("model", m.at("/llm/model").asText());
    s.put("endpoint", m.at("/llm/endpointKind").asText());
    s.put("simulated", m.at("/llm/simulated").asBoolean() ? "yes: not model output" : "no");
    s.put("runner", m.path("runner").asText());
    s.put("run date", m.path("startedAt").asText().replaceFirst("T(\\d\\d:\\d\\d).*", " $1 UTC"));
    s.put("runId", m.path("runId").asText());
    s.put("input records", m.path("inputRecords").asLong());
    s.put("output records", m.path("outputRecords").asLong());
    s.put("failed", m.path("failedRecords").asLong());
    s.put("filtered", m.path("filteredRecords").asLong());
    s.put("sampled", sampled);
    return s;
  }

  /**
   * What a reviewer must see before any record, as banners: a failed run (with the manifest's
   * reason) and simulated answers, which are not model output and must not reach a training set.
   */
  static ArrayNode banners(JsonNode m) {
    ArrayNode out = MAPPER.createArrayNode();
    if (!m.path("status").asText().equals("succeeded")) {
      out.addObject()
          .put("kind", "failed")
          .put(
              "text",
              "This run FAILED: "
                  + m.path("statusReason").asText("no reason given")
                  + ". Its dead letters come first below. Do not sign it off; fix the cause and run it again.");
    }
    if (m.at("/llm/simulated").asBoolean()) {
      out.addObject()
          .put("kind", "simulated")
          .put(
              "text",
              "SIMULATED: every answer in this run comes from the built-in "
                  + "simulator (--llmEndpoint=sim), not from a model. These records are for trying the pipeline out, never for training.");
    }
    return out;
  }

  /** The charts: from the counts the review job made over every record, and from the manifest. */
  static ArrayNode charts(Map<String, Long> counts, JsonNode manifest) {
    Map<String, Map<String, Map<String, Long>>> byChart =
        new TreeMap<>(); // chart → series → label → n
    counts.forEach(
        (key, n) -> {
          String[] f = key.split("\t");
          String series = f.length == 3 ? f[1] : "records";
          String label = f[f.length - 1];
          if (f[0].equals(
              Observations.REFUSALS)) { // labels are query types, series declined or answered
            series = f[2];
            label = f[1];
          } else if (f[0].equals(Observations.JUDGES)) {
            series = "verdicts";
            label = f[1] + ": " + f[2];
          }
          byChart
              .computeIfAbsent(f[0], k -> new TreeMap<>())
              .computeIfAbsent(series, k -> new TreeMap<>())
              .merge(label, n, Long::sum);
        });
    ArrayNode out = MAPPER.createArrayNode();
    byChart.forEach(
        (title, series) -> {
          SortedSet<String> labels = new TreeSet<>(ReviewPage::byNumberThenText);
          series.values().forEach(v -> labels.addAll(v.keySet()));
          out.add(chart(title, series, List.copyOf(labels), title.equals(Observations.REFUSALS)));
        });
    JsonNode llm = manifest.path("llm");
    Map<String, Long> calls = new LinkedHashMap<>();
    LLM_COUNTS.forEach(c -> calls.put(c[1], llm.path(c[0]).asLong()));
    out.add(
        chart("LLM calls (manifest)", Map.of("count", calls), List.copyOf(calls.keySet()), false));
    Map<String, Long> tokens = new LinkedHashMap<>();
    tokens.put("prompt", llm.path("promptTokens").asLong());
    tokens.put("completion", llm.path("completionTokens").asLong());
    out.add(
        chart(
            "LLM tokens (manifest)",
            Map.of("tokens", tokens),
            List.copyOf(tokens.keySet()),
            false));
    return out;
  }

  private static ObjectNode chart(
      String title, Map<String, Map<String, Long>> series, List<String> labels, boolean stacked) {
    ObjectNode c = MAPPER.createObjectNode().put("title", title).put("stacked", stacked);
    ArrayNode l = c.putArray("labels");
    labels.forEach(l::add);
    ArrayNode s = c.putArray("series");
    series.forEach(
        (name, values) -> {
          ArrayNode v = s.addObject().put("name", name).putArray("values");
          labels.forEach(x -> v.add(values.getOrDefault(x, 0L)));
        });
    return c;
  }

  /** Numeric labels in numeric order (turns: 2 before 10), others as text. */
  static int byNumberThenText(String a, String b) {
    boolean na = a.matches("\\d+");
    boolean nb = b.matches("\\d+");
    if (na && nb) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return na != nb ? (na ? -1 : 1) : a.compareTo(b);
  }

  static String html(ObjectNode data, String title) {
    Map<String, String> ctx =
        Map.of(
            "title", title,
            "data", escapeForScript(data.toString()),
            "style", resource("review/review.css"),
            "script", resource("review/review.js"),
            "echarts", resource("review/echarts/echarts.min.js"));
    // Values are inserted, never evaluated: run text cannot become template syntax.
    return Mustache.compiler()
        .escapeHTML(true)
        .compile(resource("review/index.html.mustache"))
        .execute(ctx);
  }

  /** JSON that cannot close its script element or open a comment: every '<' becomes \u003c. */
  static String escapeForScript(String json) {
    return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  /** The sample as transcripts for a terminal. */
  static String text(ObjectNode data) {
    StringBuilder out = new StringBuilder();
    data.path("banners")
        .forEach(b -> out.append("*** ").append(b.path("text").asText()).append(" ***\n"));
    data.path("summary")
        .fields()
        .forEachRemaining(
            e -> out.append(e.getKey()).append(": ").append(e.getValue().asText()).append('\n'));
    int i = 0;
    for (JsonNode r : data.path("sample")) {
      out.append("\n=== ")
          .append(++i)
          .append(". ")
          .append(r.path("dataset").asText())
          .append(" · ")
          .append(r.path("stratum").asText())
          .append(" · ")
          .append(r.path("id").asText())
          .append(" ===\n");
      for (JsonNode t : r.path("transcript")) {
        out.append('[')
            .append(t.path("role").asText())
            .append("] ")
            .append(t.path("content").asText())
            .append('\n');
        if (t.has("note")) {
          out.append("    (").append(t.path("note").asText()).append(")\n");
        }
      }
      if (r.path("dataset").asText().equals(SampleSpec.DEAD_LETTERS)) {
        out.append(r.path("facts").toPrettyString()).append('\n');
      }
    }
    return out.toString();
  }

  private static String resource(String name) {
    try (InputStream in = ReviewPage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + name + " (rebuild: mvn compile unpacks ECharts)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
