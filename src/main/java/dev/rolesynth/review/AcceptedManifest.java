package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.WriteOutputs;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The manifest of an accepted-only copy: where it came from, and what it holds, counted from its
 * files.
 */
final class AcceptedManifest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AcceptedManifest() {}

  static ObjectNode of(JsonNode run, Folder dir, String verdictsFile, Verdicts verdicts)
      throws IOException {
    ObjectNode m = MAPPER.createObjectNode();
    m.put("kind", "accepted-copy");
    m.put("pipeline", run.path("pipeline").asText());
    m.put("pipelineVersion", run.path("pipelineVersion").asText());
    m.put("sourceRunId", run.path("runId").asText());
    m.put("verdicts", verdictsFile);
    m.put("verdictsJudged", verdicts.size());
    m.put("writtenAt", Instant.now().toString());
    ObjectNode datasets = m.putObject("datasets");
    ArrayNode files = m.putArray("files");
    long primary = 0;
    for (Map.Entry<String, Long> f : dir.files().entrySet()) {
      String name = f.getKey();
      if (name.startsWith("_") || name.contains("/")) {
        continue;
      }
      long n =
          name.endsWith(".avro")
              ? avroRecords(dir, name)
              : dir.readString(name).lines().filter(l -> !l.isBlank()).count();
      files.addObject().put("path", name).put("records", n).put("bytes", f.getValue());
      String dataset = WriteOutputs.datasetOf(name);
      String kind = name.endsWith(".avro") ? "avro" : "jsonl." + WriteOutputs.formatOf(name);
      ObjectNode d = datasets.with(dataset);
      d.put(kind, d.path(kind).asLong() + n);
    }
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) datasets::fields) {
      ObjectNode d = (ObjectNode) e.getValue();
      d.put("acceptedIds", verdicts.accepted(e.getKey()).size());
      if (e.getKey().equals(run.path("primaryDataset").asText())) {
        primary = d.path("avro").asLong();
      }
    }
    m.put("outputRecords", primary);
    m.put("status", "succeeded");
    return m;
  }

  static long avroRecords(Folder dir, String name) throws IOException {
    long n = 0;
    try (DataFileStream<GenericRecord> r =
        new DataFileStream<>(dir.open(name), new GenericDatumReader<>())) {
      while (r.hasNext()) {
        r.next();
        n++;
      }
    }
    return n;
  }
}
