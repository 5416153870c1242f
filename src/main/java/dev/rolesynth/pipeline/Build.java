package dev.rolesynth.pipeline;

import dev.rolesynth.pipeline.RolePipeline.Dataset;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What a recipe builds its graph with: LLM calls and filter steps whose dead letters it collects (a
 * method cannot forget one), and the datasets the recipe declared, each written once.
 */
public final class Build {
  private final RunInfo run;
  private final Map<String, Renderings<?>> declared;
  private final Map<String, Dataset<?>> written = new LinkedHashMap<>();
  private final List<PCollection<Failure>> failures = new ArrayList<>();

  Build(RunInfo run, Map<String, Renderings<?>> declared) {
    this.run = run;
    this.declared = declared;
  }

  /** The run's facts, for provenance. */
  public RunInfo run() {
    return run;
  }

  /** {@code task}'s calls on each element of {@code in}; what fails becomes a dead letter. */
  public <I, O extends Serializable> PCollection<O> call(
      String name, PCollection<I> in, LlmTask<I, O> task, Class<O> type) {
    return collect(in.apply(name, run.call(task, type)));
  }

  /** The elements {@code check} passes; the others become the method's filter decisions. */
  public <T> PCollection<T> keepIf(String name, PCollection<T> in, KeepIf.Check<T> check) {
    return collect(in.apply(name, KeepIf.passing(check)));
  }

  /**
   * The elements {@code keep} passes; the others are a selection the method makes, not failures:
   * counted as {@code counter} in the run's metrics, as a method's selections are.
   */
  public <T extends Serializable> PCollection<T> keepCounting(
      String name,
      PCollection<T> in,
      Class<T> type,
      SerializableFunction<T, Boolean> keep,
      String counter) {
    return flatMap(name, in, type, t -> keep.apply(t) ? List.of(t) : dropped(counter));
  }

  private static <T> List<T> dropped(String counter) {
    Metrics.counter(CallLlm.METRICS, counter).inc();
    return List.of();
  }

  /** The output of a step with dead letters of its own, those collected. */
  public <T> PCollection<T> collect(WithFailures.Result<PCollection<T>, Failure> step) {
    failures.add(step.failures());
    return step.output();
  }

  /** Dead letters made some other way (a method's own composite), collected. */
  public void failures(PCollection<Failure> more) {
    failures.add(more);
  }

  /** One output made of each element by {@code fn} (no call, nothing to fail). */
  public <I, O extends Serializable> PCollection<O> map(
      String name, PCollection<I> in, Class<O> type, SerializableFunction<I, O> fn) {
    return in.apply(name, MapElements.into(TypeDescriptor.of(type)).via(fn))
        .setCoder(KryoCoder.of(type));
  }

  /** The outputs {@code fn} makes of each element, none or many (no call, nothing to fail). */
  public <I, O extends Serializable> PCollection<O> flatMap(
      String name, PCollection<I> in, Class<O> type, SerializableFunction<I, List<O>> fn) {
    return in.apply(name, FlatMapElements.into(TypeDescriptor.of(type)).via(fn))
        .setCoder(KryoCoder.of(type));
  }

  /** The elements grouped by the key {@code key} gives each. */
  public <T extends Serializable> PCollection<KV<String, Iterable<T>>> groupBy(
      String name, PCollection<T> in, SerializableFunction<T, String> key, Class<T> type) {
    return GroupByKeys.keyed(name + "/Key", in, key, type)
        .apply(name + "/Group", GroupByKey.create());
  }

  /** The elements of every part, as one collection. */
  public <T extends Serializable> PCollection<T> flatten(
      String name, Class<T> type, List<PCollection<T>> parts) {
    return PCollectionList.of(parts)
        .apply(name, Flatten.pCollections())
        .setCoder(KryoCoder.of(type));
  }

  /**
   * A scope whose dead letters are not the run's but the method's to count or remap (a turn dropped
   * from its dialogue, say): steps taken through it collect theirs apart, read back with {@link
   * #collected}.
   */
  public Build apart() {
    return new Build(run, Map.of());
  }

  /**
   * A step of several steps, named: what {@code body} builds from {@code in} stands under {@code
   * name} in the graph (and on the runner's UI), as a composite transform's steps do.
   */
  public <I, O extends POutput> O step(
      String name, PCollection<I> in, Function<PCollection<I>, O> body) {
    return in.apply(name, new Step<PCollection<I>, O>(body));
  }

  private static final class Step<I extends PInput, O extends POutput> extends PTransform<I, O> {
    private final transient Function<I, O> body; // used while the graph is built, never shipped

    Step(Function<I, O> body) {
      this.body = body;
    }

    @Override
    public O expand(I in) {
      return body.apply(in);
    }
  }

  /** The dead letters collected in this scope (see {@link #apart}). */
  public PCollection<Failure> collected(String name) {
    return Failures.flatten(name, failures);
  }

  /** Writes the declared dataset {@code name}. */
  public <R extends SpecificRecordBase> void write(String name, PCollection<R> records) {
    @SuppressWarnings("unchecked")
    Renderings<R> r = (Renderings<R>) writable(name);
    written.put(name, new Dataset<>(name, records, r));
  }

  private Renderings<?> writable(String name) {
    if (!declared.containsKey(name)) {
      throw new IllegalStateException("dataset '" + name + "' is not declared by the recipe");
    }
    if (written.containsKey(name)) {
      throw new IllegalStateException("dataset '" + name + "' is written twice");
    }
    return declared.get(name);
  }

  /** Writes the declared dataset {@code name}, one record made from each element. */
  public <X, R extends SpecificRecordBase> void write(
      String name, PCollection<X> from, SerializableFunction<X, R> toRecord) {
    writeEach(name, from, x -> List.of(toRecord.apply(x)));
  }

  /**
   * Writes the declared dataset {@code name}, the records made from each element: none, one or more
   * (a dataset of some elements only, or several datasets from one collection without tags).
   */
  public <X, R extends SpecificRecordBase> void writeEach(
      String name, PCollection<X> from, SerializableFunction<X, List<R>> toRecords) {
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) writable(name).type();
    write(
        name,
        from.apply(
                "To" + capitalised(name) + "Records",
                FlatMapElements.into(TypeDescriptor.of(type)).via(toRecords::apply))
            .setCoder(AvroRecordCoder.of(type)));
  }

  /**
   * Writes the declared datasets {@code names} from one collection in one pass: {@code toRecords}
   * makes an element's records of all of them, each going to the dataset of its type (so what they
   * share is made once; the datasets' types must differ).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <X> void writeEach(
      PCollection<X> from,
      SerializableFunction<X, List<? extends SpecificRecordBase>> toRecords,
      String... names) {
    Map<Class<?>, TupleTag<SpecificRecordBase>> tags = new LinkedHashMap<>();
    for (String name : names) {
      if (tags.put(writable(name).type(), new TupleTag<>(name)) != null) {
        throw new IllegalStateException("datasets " + List.of(names) + " share a record type");
      }
    }
    List<TupleTag<SpecificRecordBase>> all = new ArrayList<>(tags.values());
    PCollectionTuple split =
        from.apply(
            "To"
                + String.join("And", List.of(names).stream().map(Build::capitalised).toList())
                + "Records",
            ParDo.of(new SplitByType<>(toRecords, tags))
                .withOutputTags(
                    all.get(0), TupleTagList.of(new ArrayList<>(all.subList(1, all.size())))));
    tags.forEach(
        (type, tag) -> {
          PCollection records = split.get(tag).setCoder((Coder) AvroRecordCoder.of((Class) type));
          write(tag.getId(), records);
        });
  }

  private static String capitalised(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  Outputs outputs() {
    List<String> missing = new ArrayList<>(declared.keySet());
    missing.removeAll(written.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalStateException("declared datasets never written: " + missing);
    }
    List<Dataset<?>> datasets = new ArrayList<>();
    declared.keySet().forEach(n -> datasets.add(written.get(n)));
    return new Outputs(datasets, Failures.flatten("FlattenFailures", failures));
  }
}
