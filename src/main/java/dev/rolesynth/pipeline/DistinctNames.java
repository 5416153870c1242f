package dev.rolesynth.pipeline;

import dev.rolesynth.pool.Derived;
import dev.rolesynth.pool.Traced;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Names unique within a run. Records are grouped by the name a model gave them (case and spacing
 * folded); in each group the record with the smallest id keeps its name and every other is marked
 * with the run's names, for the method to ask its naming stage again with those names taken ({@link
 * #marking}). After that second ask, {@link #refusing} turns a name still shared (two renamed
 * records that chose the same new name) into a dead letter, so no run ends with two roles of one
 * name. Grouping by name, not an in-memory index, keeps it right on any number of workers.
 */
public final class DistinctNames {
  private DistinctNames() {}

  /**
   * A record, and the run's names when it must be named again (empty when its name is its own);
   * {@code rank} counts the records before it with the same name (0 for the one that keeps it).
   */
  public record Named<T>(T record, List<String> taken, int rank) implements Serializable {
    public boolean repeated() {
      return rank > 0;
    }

    /**
     * A first letter for the new name, different for each record of one name: two records renamed
     * from one name cannot then choose the same new one.
     */
    public String initial() {
      return String.valueOf(INITIALS.charAt((rank - 1 + INITIALS.length()) % INITIALS.length()));
    }
  }

  private static final String INITIALS = "ABCDEFGHIJKLMNOPRSTVW";

  /**
   * What a naming stage names ({@code subject}: a persona, a character's elements); asked again,
   * with the run's names taken, the name chosen before and the first letter the new one must have
   * (all empty the first time).
   */
  public record Naming<T extends Traced>(
      T subject, List<String> taken, String previous, String initial) implements Derived {
    public static <T extends Traced> Naming<T> first(T subject) {
      return new Naming<>(subject, List.of(), "", "");
    }

    /** What the naming prompt says is taken: "none", or the name chosen before and the letter. */
    public String takenText() {
      return previous.isEmpty() ? "none" : previous + "; the first name must begin with " + initial;
    }

    /** Why {@code name} does not do when asked again, or null (see {@link #problem}). */
    public String problem(String name) {
      return DistinctNames.problem(taken, initial, name);
    }
  }

  /** The subjects to name, each asked the first time. */
  public static <T extends Traced> PCollection<Naming<T>> toName(Build b, PCollection<T> subjects) {
    return b.map("ToName", subjects, namingClass(), Naming::first);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Traced> Class<Naming<T>> namingClass() {
    return (Class<Naming<T>>) (Class<?>) Naming.class;
  }

  /** Each record, marked with the run's names where an earlier id has its name. */
  public static <T extends Traced> PTransform<PCollection<T>, PCollection<Named<T>>> marking(
      Class<T> type, SerializableFunction<T, String> nameOf) {
    return new PTransform<>() {
      @Override
      public PCollection<Named<T>> expand(PCollection<T> in) {
        PCollectionView<List<String>> names =
            in.apply("Names", MapElements.into(TypeDescriptors.strings()).via(nameOf::apply))
                .apply("EachNameOnce", Distinct.create())
                .apply("AllNames", View.asList());
        @SuppressWarnings("unchecked")
        Class<Named<T>> named = (Class<Named<T>>) (Class<?>) Named.class;
        return grouped(in, type, nameOf)
            .apply("MarkRepeated", ParDo.of(new MarkFn<T>(names)).withSideInputs(names))
            .setCoder(KryoCoder.of(named));
      }
    };
  }

  private static final class MarkFn<T extends Traced>
      extends DoFn<KV<String, Iterable<T>>, Named<T>> {
    private final PCollectionView<List<String>> names;

    MarkFn(PCollectionView<List<String>> names) {
      this.names = names;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<T> same = byId(c.element().getValue());
      c.output(new Named<>(same.get(0), List.of(), 0));
      for (int i = 1; i < same.size(); i++) {
        c.output(new Named<>(same.get(i), List.copyOf(c.sideInput(names)), i));
      }
    }
  }

  /** The records whose name is their own; a dead letter for each other one of a shared name. */
  public static <T extends Traced>
      PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, Failure>> refusing(
          Class<T> type, SerializableFunction<T, String> nameOf, String stage) {
    return new PTransform<>() {
      @Override
      public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<T> in) {
        return grouped(in, type, nameOf)
            .apply(
                "KeepFirstOfEachName",
                EachOrFail.of(
                    type,
                    (KV<String, Iterable<T>> group, Void none, EachOrFail.Out<T> out) -> {
                      List<T> same = byId(group.getValue());
                      out.output(same.get(0));
                      for (T r : same.subList(1, same.size())) {
                        out.fail(
                            new Failure(
                                r.id(),
                                r.id() + "/" + stage,
                                stage,
                                "duplicate_name",
                                "renamed to \""
                                    + nameOf.apply(r)
                                    + "\", which "
                                    + same.get(0).id()
                                    + " also chose: names are unique within a run",
                                r.origin()));
                      }
                    }));
      }
    };
  }

  /**
   * Each subject named by the stage {@code naming}, in the step {@code step}, with names then made
   * unique within the run ({@link #ensure}).
   */
  public static <T extends Traced, O extends Traced> PCollection<O> name(
      Build b,
      String step,
      PCollection<T> subjects,
      LlmTask<Naming<T>, O> naming,
      Class<O> type,
      SerializableFunction<O, String> nameOf,
      SerializableFunction<O, T> subjectOf) {
    PCollection<O> named = b.call(step, toName(b, subjects), naming, type);
    return ensure(b, named, type, nameOf, subjectOf, naming);
  }

  /**
   * {@code named} with names unique within the run: each record whose name one of a smaller id has
   * is asked again through {@code naming}, with the run's names taken, and a name still shared
   * after that is a dead letter of the naming stage.
   */
  public static <T extends Traced, O extends Traced> PCollection<O> ensure(
      Build b,
      PCollection<O> named,
      Class<O> type,
      SerializableFunction<O, String> nameOf,
      SerializableFunction<O, T> subjectOf,
      LlmTask<Naming<T>, O> naming) {
    PCollection<Named<O>> marked = named.apply("FindRepeatedNames", marking(type, nameOf));
    PCollection<O> own =
        b.flatMap("OwnNames", marked, type, n -> n.repeated() ? List.of() : List.of(n.record()));
    PCollection<Naming<T>> asked =
        b.flatMap(
            "RepeatedNames",
            marked,
            DistinctNames.<T>namingClass(),
            n ->
                n.repeated()
                    ? List.of(
                        new Naming<>(
                            subjectOf.apply(n.record()),
                            n.taken(),
                            nameOf.apply(n.record()),
                            n.initial()))
                    : List.of());
    PCollection<O> renamed = b.call("RenameRepeated", asked, naming, type);
    return b.collect(
        b.flatten("AllNamed", type, List.of(own, renamed))
            .apply("OneOfEachName", refusing(type, nameOf, naming.stage())));
  }

  /**
   * Why a name given when asked again does not do: taken by another record of the run, or not
   * beginning with the letter asked for; null when it does.
   */
  public static String problem(List<String> taken, String initial, String name) {
    String folded = fold(name);
    if (taken.stream().map(DistinctNames::fold).anyMatch(folded::equals)) {
      return "the name \"" + name + "\" is taken by another character of this run: choose another";
    }
    return initial.isEmpty() || name.strip().startsWith(initial)
        ? null
        : "the first name must begin with " + initial;
  }

  /** Case and spacing folded, so "Ann Lee" and "ann lee" are one name. */
  public static String fold(String name) {
    return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static <T extends Traced> PCollection<KV<String, Iterable<T>>> grouped(
      PCollection<T> in, Class<T> type, SerializableFunction<T, String> nameOf) {
    return GroupByKeys.keyed("ByName", in, r -> fold(nameOf.apply(r)), type)
        .apply("GroupByName", GroupByKey.create());
  }

  private static <T extends Traced> List<T> byId(Iterable<T> records) {
    List<T> out = new ArrayList<>();
    records.forEach(out::add);
    out.sort(Comparator.comparing(Traced::id));
    return out;
  }
}
