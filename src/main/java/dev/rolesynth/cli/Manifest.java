package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pipeline.WriteOutputs;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/** The run manifest, {@code _manifest.json}: written last, its counts taken from the files themselves. */
final class Manifest {
  static final String FILE = "_manifest.json";
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Manifest() {}

  /** What the published folder holds. */
  record Counts(long avroRecords, long jsonlRecords, long failures, long filtered, Map<String, Long> failuresByReason,
      Map<String, Long> failuresByStage, Map<String, Map<String, Long>> datasets, List<Map<String, Object>> files,
      InputFates fates) {
    /** Avro records of one dataset. */
    long records(String dataset) {
      return datasets.getOrDefault(dataset, Map.of()).getOrDefault("avro", 0L);
    }
  }

  static Counts count(Path output, java.util.Set<String> poolFiles) throws IOException {
    long avro = 0;
    long jsonl = 0;
    long failed = 0;
    long filtered = 0;
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Long> stages = new TreeMap<>();
    Map<String, Map<String, Long>> datasets = new TreeMap<>();
    List<Map<String, Object>> files = new ArrayList<>();
    InputFates fates = new InputFates(poolFiles);
    List<Path> all;
    try (Stream<Path> s = Files.walk(output)) {
      all = s.filter(Files::isRegularFile).filter(p -> !output.relativize(p).toString().startsWith(".")).sorted().toList();
    }
    for (Path p : all) {
      String rel = output.relativize(p).toString();
      long n;
      String dataset = WriteOutputs.datasetOf(p.getFileName().toString());
      if (rel.endsWith(".avro")) {
        n = avroRecords(p, fates);
        avro += n;
        datasets.computeIfAbsent(dataset, k -> new TreeMap<>()).merge("avro", n, Long::sum);
      } else if (rel.startsWith(WriteOutputs.FAILURES_DIR + "/") && rel.endsWith(".jsonl")) {
        n = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
          for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
              n++;
              com.fasterxml.jackson.databind.JsonNode f = MAPPER.readTree(line);
              reasons.merge(f.path("reason").asText("unknown"), 1L, Long::sum);
              stages.merge(f.path("stage").asText("unknown"), 1L, Long::sum);
              filtered += f.path("filtered").asBoolean(false) ? 1 : 0;
              fates.deadLetter(f.has("file") ? f.get("file").asText() : "id:" + f.path("id").asText(),
                  f.path("line").asLong(0), f.path("filtered").asBoolean(false));
            }
          }
        }
        failed += n;
      } else if (rel.endsWith(".jsonl")) {
        n = lines(p);
        jsonl += n;
        String format = WriteOutputs.formatOf(p.getFileName().toString());
        datasets.computeIfAbsent(dataset, k -> new TreeMap<>()).merge("jsonl." + format, n, Long::sum);
      } else {
        continue;
      }
      files.add(Map.of("path", rel, "records", n, "bytes", Files.size(p)));
    }
    return new Counts(avro, jsonl, failed, filtered, reasons, stages, datasets, files, fates);
  }

  /**
   * What became of each input record, found from where every output and dead letter says it came
   * from (file and line): an output if any record came from it, else failed if any dead letter of it
   * is an error, else filtered (only the method's own filters dropped it). Each input counts once,
   * however many records or dead letters it led to.
   */
  static final class InputFates {
    private static final int FILTERED = 1;
    private static final int FAILED = 2;
    private static final int OUTPUT = 3;
    private final Map<String, Integer> fate = new java.util.HashMap<>();
    private final java.util.Set<String> poolFiles;
    private long others;

    /** @param poolFiles the files the pool was read from; dead letters of other inputs (source texts) are apart */
    InputFates(java.util.Set<String> poolFiles) {
      this.poolFiles = poolFiles;
    }

    void see(String file, long line, int what) {
      if (!poolFiles.contains(file) && !file.startsWith("id:")) {
        others++;
        return;
      }
      fate.merge(file + "\u0000" + line, what, Math::max);
    }

    /** Dead letters and records that point at another input than the pool (e.g. a source text's line). */
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

  private static long avroRecords(Path p, InputFates fates) throws IOException {
    long n = 0;
    try (DataFileReader<GenericRecord> r = new DataFileReader<>(p.toFile(), new GenericDatumReader<>())) {
      GenericRecord rec = null;
      boolean traced = r.getSchema().getField("provenance") != null;
      while (r.hasNext()) {
        rec = r.next(rec);
        n++;
        if (traced) {
          GenericRecord prov = (GenericRecord) rec.get("provenance");
          fates.output(String.valueOf(prov.get("sourceFile")), ((Number) prov.get("sourceLine")).longValue());
        }
      }
    }
    return n;
  }

  private static long lines(Path p) throws IOException {
    try (Stream<String> s = Files.lines(p, StandardCharsets.UTF_8)) {
      return s.filter(l -> !l.isBlank()).count();
    }
  }

  /** Drops user info, query and fragment from an endpoint URL, where credentials sometimes hide. */
  static String redactUrl(String url) {
    try {
      URI u = URI.create(url);
      if (u.getScheme() == null || u.getHost() == null) {
        return url.contains("@") || url.contains("?") ? "[unparseable endpoint]" : url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (Exception e) {
      return "[unparseable endpoint]";
    }
  }

  static void write(Path output, ObjectNode manifest) throws IOException {
    Path tmp = output.resolve(FILE + ".tmp");
    MAPPER.writeValue(tmp.toFile(), manifest);
    Files.move(tmp, output.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
