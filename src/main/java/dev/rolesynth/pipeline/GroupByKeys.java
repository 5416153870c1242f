package dev.rolesynth.pipeline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Collections of different records grouped by a key each gives (a role's id, say), for a step that
 * reads every side of one key by its type: {@code
 * GroupByKeys.named("JoinScoresToUsers").with(users, User::id, User.class).with(scores,
 * ChunkScore::userId, ChunkScore.class).group()}, then {@code g.only(User.class)} and {@code
 * g.all(ChunkScore.class)} of each {@link Grouped}. No tags.
 */
public final class GroupByKeys {
  private final String name;
  private KeyedPCollectionTuple<String> sides;
  private final Map<String, TupleTag<?>> tags = new LinkedHashMap<>();

  private GroupByKeys(String name) {
    this.name = name;
  }

  public static GroupByKeys named(String name) {
    return new GroupByKeys(name);
  }

  /** One side: {@code in}, keyed by {@code key}; one side a type. */
  public <T extends Serializable> GroupByKeys with(
      PCollection<T> in, SerializableFunction<T, String> key, Class<T> type) {
    TupleTag<T> tag = tag(type);
    PCollection<KV<String, T>> keyed = keyed(name + "/KeySide" + tags.size(), in, key, type);
    sides = sides == null ? KeyedPCollectionTuple.of(tag, keyed) : sides.and(tag, keyed);
    return this;
  }

  /**
   * One side already keyed (a record under several keys, say): {@code in}'s values of {@code type},
   * under their keys; {@code in} coded as {@link #keyed} codes a side.
   */
  public <T extends Serializable> GroupByKeys withKeyed(
      PCollection<KV<String, T>> in, Class<T> type) {
    TupleTag<T> tag = tag(type);
    sides = sides == null ? KeyedPCollectionTuple.of(tag, in) : sides.and(tag, in);
    return this;
  }

  private <T> TupleTag<T> tag(Class<T> type) {
    if (tags.containsKey(type.getName())) {
      throw new IllegalArgumentException(name + ": two sides of type " + type.getSimpleName());
    }
    TupleTag<T> tag = new TupleTag<>(type.getName());
    tags.put(type.getName(), tag);
    return tag;
  }

  /** Each element with the key {@code key} gives it, coded for grouping. */
  static <T extends Serializable> PCollection<KV<String, T>> keyed(
      String name, PCollection<T> in, SerializableFunction<T, String> key, Class<T> type) {
    return in.apply(name, WithKeys.of(key).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KryoCoder.of(type)));
  }

  /** Every key's group: what each side has for it. */
  public PCollection<Grouped> group() {
    Map<String, TupleTag<?>> by = new LinkedHashMap<>(tags);
    return sides
        .apply(name, CoGroupByKey.create())
        .apply(
            name + "/BySide",
            MapElements.into(TypeDescriptor.of(Grouped.class))
                .via(
                    kv -> {
                      Map<String, List<Object>> all = new HashMap<>();
                      by.forEach(
                          (type, tag) -> {
                            List<Object> l = new ArrayList<>();
                            kv.getValue().getAll(tag).forEach(l::add);
                            all.put(type, l);
                          });
                      return new Grouped(kv.getKey(), all);
                    }))
        .setCoder(KryoCoder.of(Grouped.class));
  }

  /**
   * One key's records, by side, held in memory: for groups of one role's or one user's records
   * (tens to thousands), not for a key that millions of records share.
   */
  public record Grouped(String key, Map<String, List<Object>> sides) implements Serializable {
    /** The side's records for this key, none when it has none. */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Class<T> type) {
      return (List<T>) sides.getOrDefault(type.getName(), List.of());
    }

    /** The side's one record for this key, or null when it has none (more is an error). */
    public <T> T only(Class<T> type) {
      List<T> l = all(type);
      if (l.size() > 1) {
        throw new IllegalStateException(
            key + " has " + l.size() + " " + type.getSimpleName() + " records, not one");
      }
      return l.isEmpty() ? null : l.get(0);
    }
  }
}
