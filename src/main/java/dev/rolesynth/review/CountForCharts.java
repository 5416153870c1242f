package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Counts what every record of the run adds to the charts: {@code chart \t label \t count} lines.
 */
final class CountForCharts extends PTransform<PCollection<String>, PCollection<String>> {
  private final SampleSpec spec;

  CountForCharts(SampleSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<String> expand(PCollection<String> records) {
    return records
        .apply("Observe", ParDo.of(new ObserveFn(spec)))
        .apply("Count", Sum.longsPerKey())
        .apply(
            "As lines",
            MapElements.into(TypeDescriptors.strings())
                .via(kv -> kv.getKey() + "\t" + kv.getValue()));
  }

  static final class ObserveFn extends DoFn<String, KV<String, Long>> {
    private final SampleSpec spec;

    ObserveFn(SampleSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element String line, OutputReceiver<KV<String, Long>> out) {
      JsonNode n = DrawSample.parse(line);
      String dataset = n.path("dataset").asText();
      String schema = n.path("schema").asText();
      JsonNode record = n.path("record");
      for (String key :
          Observations.of(dataset, schema, spec.stratum(dataset, schema, record), record)) {
        out.output(KV.of(key, 1L));
      }
    }
  }
}
