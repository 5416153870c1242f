package dev.rolesynth.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Embedded Flink loads job classes through the system class loader, which under {@code mvn
 * exec:java} holds only Maven's launcher (stack.md). When that is the case, run the same command in
 * a child JVM whose class path is the one exec:java built, and pass its exit code on.
 */
final class FlinkRelaunch {
  private FlinkRelaunch() {}

  static boolean needed() {
    try {
      Class.forName("org.apache.flink.api.common.ExecutionConfig", false, ClassLoader.getSystemClassLoader());
      return false;
    } catch (ClassNotFoundException e) {
      return Thread.currentThread().getContextClassLoader() instanceof URLClassLoader;
    }
  }

  static int run(String mainClass, String[] args) throws IOException, InterruptedException {
    URLClassLoader loader = (URLClassLoader) Thread.currentThread().getContextClassLoader();
    List<String> entries = new ArrayList<>();
    for (URL url : loader.getURLs()) {
      try {
        entries.add(Paths.get(url.toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IOException("unusable class path entry " + url, e);
      }
    }
    Path argFile = Files.createTempFile("rolesynth-cp", ".args");
    argFile.toFile().deleteOnExit();
    // An @argfile keeps a long class path off the command line; quoted so spaces survive.
    Files.writeString(argFile, "-cp \"" + String.join(File.pathSeparator, entries).replace("\\", "\\\\") + "\"\n");
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + argFile);
    command.add(mainClass);
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    return child.waitFor();
  }
}
