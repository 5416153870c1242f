package dev.rolesynth.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Embedded Flink loads job classes through the system class loader, which under {@code mvn
 * exec:java} holds only Maven's launcher (stack.md). When that is the case, run the same command in
 * a child JVM whose class path is the one exec:java built, and pass its exit code on.
 */
public final class FlinkRelaunch {
  private FlinkRelaunch() {}

  static boolean needed() {
    try {
      Class.forName(
          "org.apache.flink.api.common.ExecutionConfig", false, ClassLoader.getSystemClassLoader());
      return false;
    } catch (ClassNotFoundException e) {
      return Thread.currentThread().getContextClassLoader() instanceof URLClassLoader;
    }
  }

  /**
   * The parent's memory and VM flags (MAVEN_OPTS=-Xmx1g, say), so that the child runs within what
   * the user gave; not its recording or debugging agents, which would clash over their files and
   * ports.
   */
  static List<String> jvmFlags(List<String> parent) {
    List<String> out = new ArrayList<>();
    for (String a : parent) {
      boolean memory = a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss");
      boolean vm =
          a.startsWith("-XX:") && !a.contains("FlightRecord") && !a.contains("HeapDumpPath");
      if (memory || vm) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Calls below which a job is short: its JVM then compiles with C1 only. A short job spends most
   * of its CPU compiling Beam's and Flink's code with C2 before it gets to run it; measured on the
   * in-process simulator (docs/BENCHMARKS.md), C1 only made 1,000 Ditto roles (7,000 calls) about
   * 40 % faster and 10,000 roles (70,000 calls) about 12 % slower.
   */
  static final long SHORT_JOB_CALLS = 20_000;

  /**
   * Where a pipeline cannot tell its calls beforehand: input records below which a job is short.
   */
  static final long SHORT_JOB_RECORDS = 1_000;

  /**
   * Whether a job of these calls per record (0: unknown) and input records (0: unknown) is short.
   */
  public static boolean shortJob(long callsPerRecord, long records) {
    if (records <= 0) {
      return false;
    }
    return callsPerRecord > 0
        ? callsPerRecord * records < SHORT_JOB_CALLS
        : records <= SHORT_JOB_RECORDS;
  }

  /**
   * The child's JIT: C1 only for a short job, unless the user chose a compiler setting of their
   * own. C1 alone shrinks the JVM's default code cache to 48 MB, which an embedded Flink job's
   * classes can fill ("Out of space in CodeCache for adapters"): the cache is kept at C2's size.
   */
  static final String CODE_CACHE = "-XX:ReservedCodeCacheSize=240m";

  public static List<String> withJitChoice(List<String> flags, boolean shortJob) {
    boolean own =
        flags.stream()
            .anyMatch(f -> f.contains("TieredStopAtLevel") || f.contains("TieredCompilation"));
    if (own || !shortJob) {
      return flags;
    }
    List<String> out = new ArrayList<>(flags);
    out.add("-XX:TieredStopAtLevel=1");
    if (flags.stream().noneMatch(f -> f.contains("ReservedCodeCacheSize"))) {
      out.add(CODE_CACHE);
    }
    return out;
  }

  /**
   * @param shortJob whether the job is known to be short ({@link #shortJob})
   */
  static int run(String mainClass, String[] args, boolean shortJob)
      throws IOException, InterruptedException {
    List<String> flags =
        withJitChoice(jvmFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()), shortJob);
    List<String> command = command(flags, mainClass, List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    // SIGTERM to Maven reaches the run too: the child gets its own SIGTERM (and cancels its job)
    // first.
    Thread stop =
        new Thread(
            () -> {
              if (child.isAlive()) {
                child.destroy();
                try {
                  child.waitFor(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "rolesynth-stop-child");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return child.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  /**
   * A command line that runs {@code mainClass} in a new JVM on this JVM's class path (under
   * exec:java, the class path Maven built); the benchmarks start their runs the same way.
   */
  public static List<String> command(List<String> jvmFlags, String mainClass, List<String> args)
      throws IOException {
    List<String> entries = new ArrayList<>();
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Paths.get(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IOException("unusable class path entry " + url, e);
        }
      }
    } else {
      entries.add(System.getProperty("java.class.path"));
    }
    Path argFile = Files.createTempFile("rolesynth-cp", ".args");
    argFile.toFile().deleteOnExit();
    // An @argfile keeps a long class path off the command line; quoted so spaces survive.
    Files.writeString(
        argFile,
        "-cp \"" + String.join(File.pathSeparator, entries).replace("\\", "\\\\") + "\"\n");
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("@" + argFile);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
