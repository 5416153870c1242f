package dev.rolesynth.pipeline;

import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Makes each element's records of several datasets in one pass and sends each record to the output
 * of its type, so that what the datasets share is computed once.
 */
final class SplitByType<X> extends DoFn<X, SpecificRecordBase> {
  private final SerializableFunction<X, List<? extends SpecificRecordBase>> make;
  private final Map<Class<?>, TupleTag<SpecificRecordBase>> tags;

  SplitByType(
      SerializableFunction<X, List<? extends SpecificRecordBase>> make,
      Map<Class<?>, TupleTag<SpecificRecordBase>> tags) {
    this.make = make;
    this.tags = tags;
  }

  @ProcessElement
  public void process(@Element X x, MultiOutputReceiver out) {
    for (SpecificRecordBase r : make.apply(x)) {
      TupleTag<SpecificRecordBase> tag = tags.get(r.getClass());
      if (tag == null) {
        throw new IllegalStateException(
            "a " + r.getClass().getSimpleName() + " is the record of none of these datasets");
      }
      out.get(tag).output(r);
    }
  }
}
