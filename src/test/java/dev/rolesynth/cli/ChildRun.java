package dev.rolesynth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs rolesynth's Main in a separate JVM, as a scheduler would, capturing its output and exit
 * code.
 */
final class ChildRun {
  final Process process;
  final Path log;

  private ChildRun(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildRun start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // A short run, as the test JVMs are (pom.xml, surefire's argLine).
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:ReservedCodeCacheSize=240m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildRun(pb.start(), log);
  }

  int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** SIGKILL: no shutdown hooks, no flushing, nothing graceful. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
