package dev.rolesynth.cli;

import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.Ranges;
import dev.rolesynth.options.RolesynthOptions;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code --help}: the pipeline's own options, those every pipeline takes, and the few runner and
 * storage options the docs tell users to pass. Beam's and its runners' other options (hundreds,
 * most internal) are behind {@code --help=all}.
 */
final class Help {
  /** Options of Beam's interfaces that users of this tool set, with what they mean here. */
  private static final Map<String, String> RUNNER_OPTIONS = new LinkedHashMap<>();

  static {
    RUNNER_OPTIONS.put(
        "runner",
        "FlinkRunner (default: embedded Flink in this JVM, or a cluster with --flinkMaster) or "
            + "DirectRunner (Beam's checking runner, for debugging)");
    RUNNER_OPTIONS.put(
        "flinkMaster",
        "Flink cluster to submit to, host:port of its REST endpoint, e.g. localhost:8081; "
            + "default [auto]: embedded Flink");
    RUNNER_OPTIONS.put(
        "parallelism",
        "Flink: parallel subtasks of each stage; default: the machine's cores embedded, "
            + "the cluster's default on a cluster");
    RUNNER_OPTIONS.put("targetParallelism", "DirectRunner: worker threads");
    RUNNER_OPTIONS.put("awsRegion", "S3: the bucket's region");
    RUNNER_OPTIONS.put(
        "endpoint",
        "S3: an S3-compatible server's URL (MinIO, S3Proxy...); path-style addressing is set for it");
    RUNNER_OPTIONS.put(
        "s3UploadBufferSizeBytes", "S3: upload buffer per open file (rolesynth's default 5 MiB)");
    RUNNER_OPTIONS.put(
        "hdfsConfiguration",
        "HDFS: Hadoop settings as JSON, e.g. [{\"fs.defaultFS\": \"hdfs://nn:8020\"}]");
  }

  private Help() {}

  /** A pipeline's short help; {@code all} adds Beam's own listing of every option. */
  static void print(PrintStream out, String pipeline, Class<? extends Record> knobs, boolean all) {
    if (knobs.getRecordComponents().length > 0) {
      section(out, pipeline + "'s own options", Knobs.help(pipeline, knobs));
    }
    if (all) {
      PipelineOptionsFactory.printHelp(out, RolesynthOptions.class);
      return;
    }
    section(out, "Options of every pipeline", options(RolesynthOptions.class, true));
    runnerOptions(out);
  }

  /** The short help of a tool with an options interface of its own (the review). */
  static void printTool(
      PrintStream out, String tool, Class<? extends PipelineOptions> own, boolean all) {
    if (all) {
      PipelineOptionsFactory.printHelp(out, own);
      return;
    }
    section(out, "Options of " + tool, options(own, true));
    runnerOptions(out);
  }

  private static void runnerOptions(PrintStream out) {
    Map<String, String[]> runner = new LinkedHashMap<>();
    RUNNER_OPTIONS.forEach((name, text) -> runner.put(name, new String[] {type(name), text}));
    section(out, "Runner and storage", runner);
    out.println(
        "Every option can also be a key of a YAML file given with --config (the command line wins).");
    out.println("Beam's and its runners' other options: --help=all.");
  }

  /** Name → {type, "description (default x)"}, for the getters an interface declares itself. */
  private static Map<String, String[]> options(Class<?> type, boolean declaredOnly) {
    Map<String, String[]> out = new TreeMap<>();
    Method[] methods = declaredOnly ? type.getDeclaredMethods() : type.getMethods();
    Arrays.stream(methods)
        .sorted(Comparator.comparing(Method::getName))
        .forEach(
            m -> {
              String name = Ranges.optionName(m);
              Description d = m.getAnnotation(Description.class);
              if (name != null && d != null) {
                String def = defaultOf(m);
                boolean says = d.value().toLowerCase(Locale.ROOT).contains("default");
                List<String> notes = new ArrayList<>();
                if (def != null && !says) {
                  notes.add("default: " + def);
                }
                String range = Ranges.describe(m);
                if (range != null) {
                  notes.add(range);
                }
                out.put(
                    name,
                    new String[] {
                      m.getReturnType().getSimpleName(),
                      d.value() + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")")
                    });
              }
            });
    return out;
  }

  private static String defaultOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      try {
        if (a.annotationType().getDeclaringClass() == Default.class) {
          Object v = a.annotationType().getMethod("value").invoke(a);
          String s = v instanceof Class<?> c ? c.getSimpleName() : String.valueOf(v);
          return s.isEmpty() ? "empty" : s;
        }
      } catch (ReflectiveOperationException e) {
        return null; // @Default.InstanceFactory and the like: no value to show
      }
    }
    return null;
  }

  private static String type(String name) {
    return List.of("parallelism", "targetParallelism", "s3UploadBufferSizeBytes").contains(name)
        ? "int"
        : "String";
  }

  private static void section(PrintStream out, String title, Map<String, String[]> options) {
    out.println();
    out.println(title + ":");
    options.forEach(
        (name, t) -> {
          out.println("  --" + name + "=<" + t[0] + ">");
          wrap(t[1], 96).forEach(l -> out.println("      " + l));
        });
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
