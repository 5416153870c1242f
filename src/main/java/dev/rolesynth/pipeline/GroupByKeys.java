package dev.rolesynth.pipeline;

import java.io.Serializable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Collections of different records grouped by a key each gives (a role's id, say), for a step that
 * reads every side of one key: {@code GroupByKeys.named("JoinScoresToUsers").with(USER, users, u ->
 * u.id(), User.class).with(SCORE, scores, ChunkScore::userId, ChunkScore.class).group()}.
 */
public final class GroupByKeys {
  private final String name;
  private KeyedPCollectionTuple<String> sides;
  private int count;

  private GroupByKeys(String name) {
    this.name = name;
  }

  public static GroupByKeys named(String name) {
    return new GroupByKeys(name);
  }

  /** One side: {@code in}, keyed by {@code key}, read back from the group with {@code tag}. */
  public <T extends Serializable> GroupByKeys with(
      TupleTag<T> tag, PCollection<T> in, SerializableFunction<T, String> key, Class<T> type) {
    PCollection<KV<String, T>> keyed = keyed(name + "/KeySide" + ++count, in, key, type);
    sides = sides == null ? KeyedPCollectionTuple.of(tag, keyed) : sides.and(tag, keyed);
    return this;
  }

  /** Each element with the key {@code key} gives it, coded for grouping. */
  static <T extends Serializable> PCollection<KV<String, T>> keyed(
      String name, PCollection<T> in, SerializableFunction<T, String> key, Class<T> type) {
    return in.apply(name, WithKeys.of(key).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(type)));
  }

  public PCollection<KV<String, CoGbkResult>> group() {
    return sides.apply(name, CoGroupByKey.create());
  }
}
