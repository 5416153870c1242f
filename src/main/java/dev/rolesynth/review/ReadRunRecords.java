package dev.rolesynth.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.pipeline.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads every dataset of a finished run from its Avro shards (the schema comes from the files) and
 * its dead letters, as JSON lines {@code {"dataset", "schema", "record"}}.
 */
final class ReadRunRecords extends PTransform<PBegin, PCollection<String>> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Map<String, String> datasetGlobs;
  private final String deadLetterGlob;

  /**
   * @param datasetGlobs dataset name → glob of its Avro shards
   */
  ReadRunRecords(Map<String, String> datasetGlobs, String deadLetterGlob) {
    this.datasetGlobs = datasetGlobs;
    this.deadLetterGlob = deadLetterGlob;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PCollectionList<String> all = PCollectionList.empty(begin.getPipeline());
    for (Map.Entry<String, String> d : datasetGlobs.entrySet()) {
      all =
          all.and(
              begin.apply(
                  "Read " + d.getKey(),
                  AvroIO.parseGenericRecords(new FromAvro(d.getKey()))
                      .from(d.getValue())
                      .withCoder(StringUtf8Coder.of())));
    }
    PCollection<String> deadLetters =
        begin
            .apply(
                "Read dead letters",
                TextIO.read()
                    .from(deadLetterGlob)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Wrap dead letters",
                MapElements.into(TypeDescriptors.strings()).via(ReadRunRecords::fromDeadLetter));
    return all.and(deadLetters).apply("All records", Flatten.pCollections());
  }

  static String fromDeadLetter(String line) {
    try {
      ObjectNode n =
          MAPPER
              .createObjectNode()
              .put("dataset", SampleSpec.DEAD_LETTERS)
              .put("schema", "DeadLetter");
      n.set("record", MAPPER.readTree(line));
      return n.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable dead letter line: " + e.getMessage(), e);
    }
  }

  /**
   * An Avro record as JSON (as Avro's own JSON rendering of generic data has it), tagged with its
   * dataset.
   */
  static final class FromAvro implements SerializableFunction<GenericRecord, String> {
    private final String dataset;

    FromAvro(String dataset) {
      this.dataset = dataset;
    }

    @Override
    public String apply(GenericRecord r) {
      ObjectNode n =
          MAPPER.createObjectNode().put("dataset", dataset).put("schema", r.getSchema().getName());
      n.set("record", AvroJson.tree(r));
      return n.toString();
    }
  }
}
