package dev.rolesynth.pipeline;

import dev.rolesynth.ConfigException;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.Ranges;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.prompt.PipelineSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.beam.sdk.values.PCollection;

/**
 * A method as the launcher runs it. The subclass declares, in its constructor, its name, sample
 * pool, own options and datasets; it says how pool lines are read and how its settings are checked;
 * its {@link #build} is the method's graph. Registration, dead letters, dataset records and
 * renderings are the contract's.
 *
 * @param <T> what a pool line becomes
 * @param <S> the method's checked settings and prompts
 */
public abstract class Recipe<T extends PoolRecord, S extends PipelineSettings>
    implements RolePipeline<T> {
  private final String name;
  private final String sample;
  private Class<? extends Record> knobs;
  private final Map<String, Renderings<?>> datasets = new LinkedHashMap<>();
  private String fieldMapRefusal;
  private Function<RolesynthOptions, S> settings;
  private Function<RolesynthOptions, RecordMapper<T>> pool;

  /**
   * @param sampleFile the sample pool's file under {@code pipelines/<name>/sample/}
   */
  protected Recipe(String name, String sampleFile) {
    this.name = name;
    this.sample = "pipelines/" + name + "/sample/" + sampleFile;
  }

  /** Declares a dataset; the first declared is the primary one (see {@link Outputs}). */
  protected final void dataset(String dataset, Renderings<?> renderings) {
    datasets.put(dataset, renderings);
  }

  /** Declares that pool lines have one shape, so {@code --fieldMap} is refused, saying which. */
  protected final void refusesFieldMap(String shape) {
    this.fieldMapRefusal = shape;
  }

  /**
   * Declares the method's own options ({@code knobs}: a record whose components {@code options:} in
   * its pipeline.yaml describes, see {@link Knobs}) and how its settings come from them and the
   * options of every pipeline, the knobs already typed and checked: further checks, prompts loaded;
   * no call made.
   */
  protected final <K extends Record> void settledBy(
      Class<K> knobs, BiFunction<RolesynthOptions, K, S> settings) {
    this.knobs = knobs;
    this.settings = o -> settings.apply(o, knobs(o, knobs));
  }

  /**
   * Declares the method's own options ({@code knobs}) for settings that need nothing more: {@link
   * Settings} of them ({@code S} is {@code Settings<K>}).
   */
  @SuppressWarnings("unchecked")
  protected final <K extends Record> void settledBy(Class<K> knobs) {
    settledBy(knobs, (o, k) -> (S) new Settings<>(name, o, k));
  }

  /** The method's own options as the launcher checked them (defaults where none was given). */
  protected final <K extends Record> K knobs(RolesynthOptions o, Class<K> type) {
    return Knobs.of(o, name, type);
  }

  /** Declares how a pool line becomes the method's input record. */
  protected final void reads(Function<RolesynthOptions, RecordMapper<T>> pool) {
    this.pool = pool;
  }

  /** The method's settings (as {@link #settledBy} declared, unless overridden). */
  protected S settings(RolesynthOptions options) {
    return declared(settings, "settledBy").apply(options);
  }

  /** How a pool line becomes the method's input record (as {@link #reads} declared). */
  protected RecordMapper<T> pool(RolesynthOptions options) {
    return declared(pool, "reads").apply(options);
  }

  private <X> X declared(X what, String how) {
    if (what == null) {
      throw new IllegalStateException(name + " declares nothing with " + how + "(...)");
    }
    return what;
  }

  /** The method: its stages from the input records to every declared dataset. */
  protected abstract void build(PCollection<T> records, S settings, Build b);

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Class<? extends Record> knobsType() {
    return declared(knobs, "settledBy");
  }

  @Override
  public String samplePool() {
    return sample;
  }

  @Override
  public final RecordMapper<T> mapper(RolesynthOptions o) {
    if (fieldMapRefusal != null && !o.getFieldMap().isBlank()) {
      throw new ConfigException("--fieldMap is not used by " + name + ": " + fieldMapRefusal);
    }
    return pool(o);
  }

  @Override
  public final Map<String, Renderings<?>> renderings() {
    return Collections.unmodifiableMap(datasets);
  }

  @Override
  public final Plan<T> plan(RolesynthOptions o) {
    Ranges.check(o, RolesynthOptions.class);
    S settings = settings(o);
    return Plan.of(settings, (records, run) -> outputs(records, settings, run));
  }

  /** The method's datasets and dead letters from {@code records}: its graph, as run and tested. */
  public final Outputs outputs(PCollection<T> records, S settings, RunInfo run) {
    Build b = new Build(run, datasets);
    build(records, settings, b);
    return b.outputs();
  }
}
