package dev.rolesynth.review;

import static dev.rolesynth.review.SampleCounts.checkEveryRecordWasRead;
import static dev.rolesynth.review.SampleCounts.strata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.RolePipeline.Dataset;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import dev.rolesynth.pipeline.WriteOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns a finished run into a review: a reproducible stratified sample of its datasets and dead
 * letters, the run's charts, and a page to judge the sample on; then, from the verdicts exported
 * from that page, acceptance per stratum and an accepted-only copy of the datasets.
 */
public final class Review {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What a run's manifest may list: relative names inside the run folder (dead letters one folder
   * down).
   */
  static final Pattern SAFE_PATH = Pattern.compile("(failures/)?[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final ReviewOptions options;
  private final boolean outputGiven;
  private final PrintStream out;

  /**
   * @param outputGiven whether --output was given (its default is the pipelines' own, not the
   *     review's)
   */
  public Review(ReviewOptions options, boolean outputGiven, PrintStream out) {
    this.options = options;
    this.outputGiven = outputGiven;
    this.out = out;
  }

  /**
   * The finished run in --input: its manifest, checked, and its Avro datasets in manifest order.
   */
  public record Run(Folder dir, JsonNode manifest, Map<String, String> avroGlobs) {
    /**
     * A run that published but failed (too many dead letters): reviewed to see why, never signed
     * off.
     */
    public boolean failed() {
      return !manifest.path("status").asText().equals("succeeded");
    }
  }

  public static Run finishedRun(String input) throws IOException {
    if (input.isBlank()) {
      throw new ConfigException(
          "--input: give the output folder of a finished run, e.g. --input=output/ditto");
    }
    Folder dir = Folder.of(input);
    String manifestFile = dir.path("_manifest.json");
    Map<String, Long> present;
    try {
      present = dir.files();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("--input=" + input + " cannot be read: " + e.getMessage());
    }
    if (!present.containsKey("_manifest.json")) {
      throw new ConfigException(
          "--input="
              + input
              + " is not a finished run: no _manifest.json in "
              + dir
              + (present.isEmpty()
                  ? " (no such folder)"
                  : " (a run still going, or not a rolesynth output folder)"));
    }
    JsonNode m = MAPPER.readTree(dir.readString("_manifest.json"));
    if (!List.of("succeeded", "failed").contains(m.path("status").asText())) {
      throw new ConfigException(
          dir
              + " holds a run whose manifest says '"
              + m.path("status").asText()
              + "', neither succeeded nor failed: not a run rolesynth published");
    }
    Map<String, String> globs = new LinkedHashMap<>();
    for (JsonNode f : m.path("files")) {
      String path = f.path("path").asText();
      if (!SAFE_PATH.matcher(path).matches()) {
        throw new ConfigException(
            manifestFile
                + " lists a file outside its run folder or with an odd name: '"
                + path
                + "'");
      }
      if (!present.containsKey(path)) {
        throw new ConfigException(
            dir + " is missing " + path + ", which its manifest lists: a partly copied run?");
      }
      if (path.endsWith(".avro") && !path.contains("/")) {
        String dataset = path.replaceFirst("-\\d+-of-\\d+\\.avro$", "");
        globs.put(dataset, dir.path(dataset + "-*-of-*.avro"));
      }
    }
    // The primary dataset first, as the run reports it.
    Map<String, String> ordered = new LinkedHashMap<>();
    String primary = m.path("primaryDataset").asText();
    if (globs.containsKey(primary)) {
      ordered.put(primary, globs.get(primary));
    }
    ordered.putAll(globs);
    return new Run(dir, m, ordered);
  }

  public SampleSpec spec() {
    List<String> by =
        options.getBy().isBlank()
            ? List.of()
            : Arrays.stream(options.getBy().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    if (options.getSample() < 1) {
      throw new ConfigException("--sample must be at least 1, not " + options.getSample());
    }
    if (!List.of("stratum", "total").contains(options.getSamplePer())) {
      throw new ConfigException(
          "--samplePer must be stratum or total, not '" + options.getSamplePer() + "'");
    }
    if (!List.of("html", "text").contains(options.getFormat())) {
      throw new ConfigException("--format must be html or text, not '" + options.getFormat() + "'");
    }
    return new SampleSpec(
        options.getSeed(), options.getSample(), options.getSamplePer().equals("stratum"), by);
  }

  /** Beside the run (on its filesystem, S3 too) unless --output names another folder. */
  public Folder reviewDir(Run run) {
    return outputGiven ? Folder.of(options.getOutput()) : run.dir().child("review");
  }

  /**
   * Samples and counts the run on the options' runner, then writes sample.jsonl, stats.json and
   * index.html.
   */
  public ObjectNode sample(Run run, SampleSpec spec) throws IOException {
    Folder dir = reviewDir(run);
    Folder work = dir.child(".work");
    work.deleteAll();
    Pipeline p = Pipeline.create(options);
    PCollection<String> records =
        p.apply(
            "Read the run",
            new ReadRunRecords(run.avroGlobs(), run.dir().path("failures/*.jsonl")));
    records
        .apply("Draw the sample", new DrawSample(spec))
        .apply("Write the sample", TextIO.write().to(work.path("sample")).withSuffix(".jsonl"));
    records
        .apply("Count for the charts", new CountForCharts(spec))
        .apply("Write the counts", TextIO.write().to(work.path("counts")).withSuffix(".tsv"));
    finish(p);

    List<String> order = new ArrayList<>(run.avroGlobs().keySet());
    // A failed run is reviewed for its dead letters: they come first.
    order.add(run.failed() ? 0 : order.size(), SampleSpec.DEAD_LETTERS);
    List<JsonNode> sample = new ArrayList<>();
    for (String line : lines(work, "sample")) {
      ObjectNode n = DrawSample.parse(line);
      String schema = n.path("schema").asText();
      JsonNode record = n.remove("record");
      n.set("transcript", RecordViews.transcript(schema, record));
      n.set("facts", RecordViews.facts(record));
      n.set("record", record);
      sample.add(n);
    }
    sample.sort(
        Comparator.<JsonNode>comparingInt(n -> order.indexOf(n.path("dataset").asText()))
            .thenComparing(n -> n.path("stratum").asText())
            .thenComparing(
                n -> Long.parseUnsignedLong(n.path("hash").asText(), 16), Long::compareUnsigned));
    Map<String, Long> counts = new TreeMap<>();
    for (String line : lines(work, "counts")) {
      int tab = line.lastIndexOf('\t');
      counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
    }
    work.deleteAll();
    checkEveryRecordWasRead(run, counts);

    ObjectNode data = MAPPER.createObjectNode();
    data.set("summary", ReviewPage.summary(run.manifest(), sample.size()));
    data.set("banners", ReviewPage.banners(run.manifest()));
    data.putObject("sampling")
        .put("seed", spec.seed())
        .put("size", spec.size())
        .put("per", spec.perStratum() ? "stratum" : "total")
        .put("strata", spec.by().isEmpty() ? "method" : String.join(",", spec.by()));
    data.set("charts", ReviewPage.charts(counts, run.manifest()));
    data.set("strata", strata(counts, sample));
    ArrayNode rows = data.putArray("sample");
    StringBuilder jsonl = new StringBuilder();
    for (JsonNode n : sample) {
      jsonl.append(n).append('\n');
      ObjectNode row = ((ObjectNode) n).deepCopy();
      row.remove("record");
      rows.add(row);
    }
    dir.writeString("sample.jsonl", jsonl.toString());
    ObjectNode stats = data.deepCopy();
    stats.remove("sample");
    stats.set("counts", MAPPER.valueToTree(counts));
    stats.set("llm", run.manifest().path("llm"));
    stats.set("failuresByStage", run.manifest().path("failuresByStage"));
    stats.set("failuresByReason", run.manifest().path("failuresByReason"));
    dir.writeString("stats.json", stats.toPrettyString());
    writePage(run, data);
    if (options.getFormat().equals("text")) {
      out.print(ReviewPage.text(data));
    }
    return data;
  }

  /**
   * Runs a review job to its end; a job that did not finish is a failure, never an empty review.
   */
  static void finish(Pipeline p) {
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(
          "the review job ended " + state + " (see the log above); nothing was written");
    }
  }

  void writePage(Run run, ObjectNode data) throws IOException {
    String title =
        run.manifest().path("pipeline").asText() + " run " + run.manifest().path("runId").asText();
    reviewDir(run).writeString("index.html", ReviewPage.html(data, title));
  }

  /**
   * Judges the sample just drawn by these verdicts; writes verdicts-summary.json and shows it on
   * the page.
   */
  public void judge(Run run, ObjectNode data, Verdicts verdicts) throws IOException {
    Map<String, JsonNode> byKey = new TreeMap<>();
    data.path("sample")
        .forEach(n -> byKey.put(n.path("dataset").asText() + "\t" + n.path("id").asText(), n));
    ObjectNode summary = verdicts.summary(byKey);
    reviewDir(run).writeString("verdicts-summary.json", summary.toPrettyString());
    data.set("verdictsSummary", summary);
    writePage(run, data);
  }

  /**
   * Writes review/accepted: the accepted records of every dataset, as the run wrote them, manifest
   * last.
   */
  public ObjectNode applyVerdicts(
      Run run, Verdicts verdicts, Function<String, Map<String, Renderings<?>>> renderingsOf)
      throws IOException {
    Folder target = reviewDir(run).child("accepted");
    target.deleteAll();
    Map<String, Renderings<?>> renderings =
        renderingsOf.apply(run.manifest().path("pipeline").asText());
    Pipeline p = Pipeline.create(options);
    List<Dataset<?>> copies = new ArrayList<>();
    run.avroGlobs()
        .forEach(
            (dataset, glob) -> {
              Renderings<?> r = renderings.get(dataset);
              if (r == null) {
                throw new ConfigException(
                    "the "
                        + run.manifest().path("pipeline").asText()
                        + " pipeline has no dataset '"
                        + dataset
                        + "': cannot write its accepted copy");
              }
              copies.add(CopyAccepted.of(p, dataset, glob, r, verdicts.accepted(dataset)));
            });
    WriteOutputs.writeDatasets(
        copies, target + "/", run.manifest().at("/llm/simulated").asBoolean());
    finish(p);
    ObjectNode m = AcceptedManifest.of(run.manifest(), target, options.getVerdicts(), verdicts);
    target.writeString("_manifest.json", m.toPrettyString());
    return m;
  }

  static List<String> lines(Folder dir, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    for (String f : dir.files().keySet()) {
      if (!f.contains("/") && f.startsWith(prefix)) {
        dir.readString(f).lines().filter(l -> !l.isBlank()).forEach(out::add);
      }
    }
    return out;
  }
}
