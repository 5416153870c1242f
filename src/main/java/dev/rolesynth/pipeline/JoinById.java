package dev.rolesynth.pipeline;

import dev.rolesynth.pool.Traced;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Brings together what several stages made from the same input record: by its id, one group per
 * record.
 */
public final class JoinById<T extends Traced>
    extends PTransform<PCollectionList<T>, PCollection<KV<String, Iterable<T>>>> {
  private final Class<T> type;

  private JoinById(Class<T> type) {
    this.type = type;
  }

  public static <T extends Traced> JoinById<T> of(Class<T> type) {
    return new JoinById<>(type);
  }

  @Override
  public PCollection<KV<String, Iterable<T>>> expand(PCollectionList<T> parts) {
    return parts
        .apply("Flatten", Flatten.pCollections())
        .setCoder(KryoCoder.of(type))
        .apply("KeyById", WithKeys.of((T t) -> t.id()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(type)))
        .apply("GroupById", GroupByKey.create())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(KryoCoder.of(type))));
  }
}
