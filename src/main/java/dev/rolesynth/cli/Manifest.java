package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.WriteOutputs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The run manifest, {@code _manifest.json}: written last, its counts taken from the files
 * themselves.
 */
final class Manifest {
  static final String FILE = "_manifest.json";
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Manifest() {}

  /** What the published folder holds. */
  record Counts(
      long avroRecords,
      long jsonlRecords,
      long failures,
      long filtered,
      Map<String, Long> failuresByReason,
      Map<String, Long> failuresByStage,
      Map<String, Map<String, Long>> datasets,
      List<Map<String, Object>> files,
      InputFates fates) {
    /** Avro records of one dataset. */
    long records(String dataset) {
      return datasets.getOrDefault(dataset, Map.of()).getOrDefault("avro", 0L);
    }
  }

  /** The manifest a folder holds. */
  static com.fasterxml.jackson.databind.JsonNode read(Folder output) throws IOException {
    try (InputStream in = output.open(FILE)) {
      return MAPPER.readTree(in);
    }
  }

  static Counts count(Folder output, Set<String> poolFiles) throws IOException {
    long avro = 0;
    long jsonl = 0;
    long failed = 0;
    long filtered = 0;
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> stages = new TreeMap<>();
    Map<String, Map<String, Long>> datasets = new TreeMap<>();
    List<Map<String, Object>> files = new ArrayList<>();
    InputFates fates = new InputFates(poolFiles);
    Map<String, Long> all = output.files();
    for (Map.Entry<String, Long> file : all.entrySet()) {
      String rel = file.getKey();
      if (rel.startsWith(".")) {
        continue;
      }
      String name = rel.substring(rel.lastIndexOf('/') + 1);
      long n;
      String dataset = WriteOutputs.datasetOf(name);
      if (rel.endsWith(".avro")) {
        n = avroRecords(output, rel, fates);
        avro += n;
        datasets.computeIfAbsent(dataset, k -> new TreeMap<>()).merge("avro", n, Long::sum);
      } else if (rel.startsWith(WriteOutputs.FAILURES_DIR + "/") && rel.endsWith(".jsonl")) {
        n = 0;
        try (BufferedReader r =
            new BufferedReader(new InputStreamReader(output.open(rel), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
              n++;
              com.fasterxml.jackson.databind.JsonNode f = MAPPER.readTree(line);
              reasons.merge(f.path("reason").asText("unknown"), 1L, Long::sum);
              stages.merge(f.path("stage").asText("unknown"), 1L, Long::sum);
              filtered += f.path("filtered").asBoolean(false) ? 1 : 0;
              fates.deadLetter(
                  f.has("file") ? f.get("file").asText() : "id:" + f.path("id").asText(),
                  f.path("line").asLong(0),
                  f.path("filtered").asBoolean(false));
            }
          }
        }
        failed += n;
      } else if (rel.endsWith(".jsonl")) {
        n = lines(output, rel);
        jsonl += n;
        String format = WriteOutputs.formatOf(name);
        datasets
            .computeIfAbsent(dataset, k -> new TreeMap<>())
            .merge("jsonl." + format, n, Long::sum);
      } else {
        continue;
      }
      files.add(Map.of("path", rel, "records", n, "bytes", file.getValue()));
    }
    return new Counts(avro, jsonl, failed, filtered, reasons, stages, datasets, files, fates);
  }

  /**
   * What became of each input record, found from where every output and dead letter says it came
   * from (file and line): an output if any record came from it, else failed if any dead letter of
   * it is an error, else filtered (only the method's own filters dropped it). Each input counts
   * once, however many records or dead letters it led to.
   */
  static final class InputFates {
    private static final int FILTERED = 1;
    private static final int FAILED = 2;
    private static final int OUTPUT = 3;
    private final Map<String, Integer> fate = new HashMap<>();
    private final Set<String> poolFiles;
    private long others;

    /**
     * @param poolFiles the files the pool was read from; dead letters of other inputs (source
     *     texts) are apart
     */
    InputFates(Set<String> poolFiles) {
      this.poolFiles = poolFiles;
    }

    void see(String file, long line, int what) {
      if (!poolFiles.contains(file) && !file.startsWith("id:")) {
        others++;
        return;
      }
      fate.merge(file + "\u0000" + line, what, Math::max);
    }

    /**
     * Dead letters and records that point at another input than the pool (e.g. a source text's
     * line).
     */
    long others() {
      return others;
    }

    void output(String file, long line) {
      see(file, line, OUTPUT);
    }

    void deadLetter(String file, long line, boolean filter) {
      see(file, line, filter ? FILTERED : FAILED);
    }

    long count(int what) {
      return fate.values().stream().filter(v -> v == what).count();
    }

    long outputs() {
      return count(OUTPUT);
    }

    long failed() {
      return count(FAILED);
    }

    long filtered() {
      return count(FILTERED);
    }
  }

  private static long avroRecords(Folder output, String rel, InputFates fates) throws IOException {
    long n = 0;
    try (DataFileStream<GenericRecord> r =
        new DataFileStream<>(output.open(rel), new GenericDatumReader<>())) {
      GenericRecord rec = null;
      boolean traced = r.getSchema().getField("provenance") != null;
      while (r.hasNext()) {
        rec = r.next(rec);
        n++;
        if (traced) {
          GenericRecord prov = (GenericRecord) rec.get("provenance");
          fates.output(
              String.valueOf(prov.get("sourceFile")),
              ((Number) prov.get("sourceLine")).longValue());
        }
      }
    }
    return n;
  }

  private static long lines(Folder output, String rel) throws IOException {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(output.open(rel), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).count();
    }
  }

  /** Drops user info, query and fragment from an endpoint URL, where credentials sometimes hide. */
  static String redactUrl(String url) {
    try {
      URI u = URI.create(url);
      if (u.getScheme() == null || u.getHost() == null) {
        return url.contains("@") || url.contains("?") ? "[unparseable endpoint]" : url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (Exception e) {
      return "[unparseable endpoint]";
    }
  }

  /**
   * Written last; on disk through an atomic rename, on object storage as one object put (whole or
   * absent).
   */
  static void write(Folder output, ObjectNode manifest) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(manifest);
    if (!output.local()) {
      output.write(FILE, bytes);
      return;
    }
    Path tmp = Path.of(output.path(FILE + ".tmp"));
    Files.write(tmp, bytes);
    Files.move(
        tmp,
        Path.of(output.path(FILE)),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
