package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Draws the sample: each record gets a stratum and a hash of seed and id, and the {@code size}
 * smallest hashes of each stratum (or of the whole run) are kept by a combiner, so memory is
 * bounded by the sample, not the run, on one machine as on a cluster.
 */
final class DrawSample extends PTransform<PCollection<String>, PCollection<String>> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SampleSpec spec;

  DrawSample(SampleSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<String> expand(PCollection<String> records) {
    return records
        .apply("Stratify and hash", ParDo.of(new StratifyFn(spec)))
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
        .apply("Keep the smallest hashes", Top.perKey(spec.size(), new LargerHashFirst()))
        .apply(
            "One line each",
            FlatMapElements.into(TypeDescriptors.strings())
                .via(
                    (KV<String, List<KV<Long, String>>> kv) ->
                        kv.getValue().stream().map(KV::getValue).toList()));
  }

  /**
   * Top keeps the largest by its comparator; this ordering makes the smallest (unsigned) hashes
   * largest.
   */
  static final class LargerHashFirst implements Comparator<KV<Long, String>>, Serializable {
    @Override
    public int compare(KV<Long, String> a, KV<Long, String> b) {
      int c = Long.compareUnsigned(b.getKey(), a.getKey());
      return c != 0 ? c : b.getValue().compareTo(a.getValue());
    }
  }

  /** {dataset, schema, record} → stratum key and {hash, the line with its stratum, id and hash}. */
  static final class StratifyFn extends DoFn<String, KV<String, KV<Long, String>>> {
    private final SampleSpec spec;

    StratifyFn(SampleSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<KV<String, KV<Long, String>>> out) {
      ObjectNode n = parse(line);
      String dataset = n.path("dataset").asText();
      JsonNode record = n.path("record");
      String stratum = spec.stratum(dataset, n.path("schema").asText(), record);
      String id = id(dataset, record);
      long hash = spec.hash(dataset, id);
      n.put("stratum", stratum).put("id", id).put("hash", Long.toUnsignedString(hash, 16));
      String key = spec.perStratum() ? dataset + "\t" + stratum : "all";
      out.output(KV.of(key, KV.of(hash, n.toString())));
    }
  }

  /**
   * A record's id; a dead letter's names the record, the stage and the call, which together are
   * unique.
   */
  static String id(String dataset, JsonNode record) {
    String id = record.path("id").asText("");
    if (dataset.equals(SampleSpec.DEAD_LETTERS)) {
      return id
          + "|"
          + record.path("stage").asText()
          + "|"
          + record.path("callId").asText()
          + "|"
          + record.path("reason").asText();
    }
    return id.isEmpty() ? Integer.toHexString(record.toString().hashCode()) : id;
  }

  static ObjectNode parse(String line) {
    try {
      return (ObjectNode) MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
