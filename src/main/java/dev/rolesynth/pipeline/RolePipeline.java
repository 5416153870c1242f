package dev.rolesynth.pipeline;

import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;

/**
 * A pipeline the launcher can run: its options, its sample pool, how it reads its input records and
 * how it turns them into datasets.
 */
public interface RolePipeline<T extends PoolRecord> {
  String name();

  /**
   * The method's own options: a record naming and typing those its pipeline.yaml describes (see
   * {@link dev.rolesynth.options.Knobs}).
   */
  Class<? extends Record> knobsType();

  /** Classpath resource of the shipped sample pool, used when --input is empty. */
  String samplePool();

  /**
   * Failure reasons that are the method's own filter decisions (a judge, a coherence check, an
   * author filter), not errors: dead letters all the same, but not counted towards
   * --maxFailureRatio. Declared under {@code filters:} in the pipeline's {@code pipeline.yaml}.
   */
  default Set<String> filterReasons() {
    return dev.rolesynth.prompt.PromptBook.filters(name());
  }

  /**
   * The sample pool for these options (a pipeline whose mode needs another sample overrides this).
   */
  default String samplePool(RolesynthOptions options) {
    return samplePool();
  }

  /**
   * About how many LLM calls one input record costs with these options, for the progress line's
   * ETA; 0 = unknown.
   */
  default long expectedCallsPerRecord(RolesynthOptions options) {
    return 0;
  }

  /** How pool records become this pipeline's input; bad field maps throw ConfigException. */
  RecordMapper<T> mapper(RolesynthOptions options);

  /**
   * Checks the pipeline's own options and loads its templates; throws ConfigException, makes no
   * call.
   */
  Plan<T> plan(RolesynthOptions options);

  interface Plan<T> {
    Map<String, String> templateHashes();

    Outputs build(PCollection<T> records, RunInfo run);

    /** The plan of a pipeline whose templates are those of {@code settings}. */
    static <T> Plan<T> of(
        dev.rolesynth.prompt.PipelineSettings settings,
        BiFunction<PCollection<T>, RunInfo, Outputs> build) {
      return new Plan<>() {
        @Override
        public Map<String, String> templateHashes() {
          return settings.templateHashes();
        }

        @Override
        public Outputs build(PCollection<T> records, RunInfo run) {
          return build.apply(records, run);
        }
      };
    }
  }

  /**
   * What a pipeline writes: one or more datasets and its failures. The first dataset is the primary
   * one: its records and the failures are the units the failure ratio is measured on.
   */
  record Outputs(List<Dataset<?>> datasets, PCollection<Failure> failures) {
    public Outputs {
      if (datasets.isEmpty()) {
        throw new IllegalArgumentException("a pipeline writes at least one dataset");
      }
      datasets = List.copyOf(datasets);
    }

    /** The records of dataset {@code name}. */
    @SuppressWarnings("unchecked")
    public <R> PCollection<R> get(String name) {
      return datasets.stream()
          .filter(d -> d.name().equals(name))
          .map(d -> (PCollection<R>) d.records())
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no dataset " + name));
    }
  }

  /**
   * The datasets this pipeline writes, by name, with how each renders as JSONL: what the review's
   * accepted-only copy needs to write the same files without running the pipeline.
   */
  Map<String, Renderings<?>> renderings();

  /**
   * A dataset's record type and its JSONL renderings, by format name ({@code chat}, {@code
   * alpaca}...).
   */
  record Renderings<R extends SpecificRecordBase>(
      Class<R> type, Map<String, SerializableFunction<R, String>> formats) implements Serializable {
    public Renderings {
      formats = new TreeMap<>(formats);
    }

    /** A dataset of {@code type} with no renderings yet (its Avro shards only). */
    public static <R extends SpecificRecordBase> Renderings<R> of(Class<R> type) {
      return new Renderings<>(type, Map.of());
    }

    /** These renderings and {@code format}, written as {@code <dataset>.<format>-*.jsonl}. */
    public Renderings<R> with(String format, SerializableFunction<? super R, String> render) {
      Map<String, SerializableFunction<R, String>> more = new TreeMap<>(formats);
      more.put(format, render::apply);
      return new Renderings<>(type, more);
    }
  }

  /**
   * One dataset: Avro records written as {@code <name>-*.avro} and each rendering written as {@code
   * <name>.<format>-*.jsonl}.
   */
  record Dataset<R extends SpecificRecordBase>(
      String name, PCollection<R> records, Renderings<R> renderings) {
    public Class<R> type() {
      return renderings.type();
    }
  }
}
