package dev.rolesynth.review;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of {@code -Dpipeline=review}: which finished run, how to sample it, where the review
 * goes.
 */
public interface ReviewOptions extends PipelineOptions {
  // Names shared with the pipelines' options keep their defaults: Beam holds one registry of names.
  @Description("Pipeline to run: review")
  @Default.String("ditto")
  String getPipeline();

  void setPipeline(String value);

  @Description(
      "YAML run config whose keys are these options (command-line flags win); empty = none")
  @Default.String("")
  String getConfig();

  void setConfig(String value);

  @Description("The finished run's output folder (the one holding _manifest.json)")
  @Default.String("")
  String getInput();

  void setInput(String value);

  @Description("Where the review goes; not given = review/ inside --input")
  @Default.String("output/{pipeline}")
  String getOutput();

  void setOutput(String value);

  @Description("Records to sample: per stratum (--samplePer=stratum) or in all (--samplePer=total)")
  @Default.Integer(20)
  int getSample();

  void setSample(int value);

  @Description(
      "stratum: --sample records from every stratum of every dataset; total: --sample records in all")
  @Default.String("stratum")
  String getSamplePer();

  void setSamplePer(String value);

  @Description(
      "Seed of the sample: the same seed gives the same sample on any runner and shard count")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description(
      "Strata from record fields instead of the method's own, e.g. provenance.model,turns.queryType")
  @Default.String("")
  String getBy();

  void setBy(String value);

  @Description(
      "html: write review/ (sample.jsonl, stats.json, index.html); text: also print the sample as transcripts")
  @Default.String("html")
  String getFormat();

  void setFormat(String value);

  @Description(
      "A verdicts.jsonl exported from the review page: acceptance per stratum with Wilson 95 % intervals")
  @Default.String("")
  String getVerdicts();

  void setVerdicts(String value);

  @Description(
      "With --verdicts: write the accepted records as a dataset copy (Avro, JSONL, manifest) under review/accepted")
  @Default.Boolean(false)
  boolean getApplyVerdicts();

  void setApplyVerdicts(boolean value);
}
